package io.audiosockets.kafka;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A user's processor, knowing nothing of Kafka: a line "stream seq redelivery" per chunk and
 * "GAP stream from to reason" per gap, flushed before processData returns (so that a SIGKILL
 * loses no line of a chunk whose offset could have been committed).
 */
final class LineFileProcessor extends BaseProcessor {
    private final Writer out;
    private final long delayMillis;

    LineFileProcessor(String name, Path file, long delayMillis) throws IOException {
        super(ProcessorOptions.builder(name).shutdownHook(false).build());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.delayMillis = delayMillis;
    }

    @Override
    protected void processData(AudioChunk chunk) throws Exception {
        if (delayMillis > 0) {
            Thread.sleep(delayMillis); // a processor with work to do: a SIGKILL lands in the middle of a batch
        }
        out.write(chunk.stream() + " " + chunk.seq() + " " + isRedelivery() + "\n");
        out.flush();
    }

    @Override
    protected void onGap(Gap gap) throws Exception {
        out.write("GAP " + gap.stream() + " " + gap.fromSeq() + " " + gap.toSeq() + " " + gap.reason() + "\n");
        out.flush();
    }

    @Override
    protected void onStop() throws Exception {
        out.close();
    }
}
