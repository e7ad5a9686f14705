package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Archives every stream to WAV files rotated by duration (see {@link WavArchive} for names,
 * rotation, gaps, which start a new file, and crash safety). Prints a line for each new file.
 */
public final class ArchiveProcessor extends BaseProcessor {
    private final LineSink out;
    /** Used by the processor thread only, after construction. */
    private final WavArchive archive;
    /** Files already announced; processor thread only. */
    private int filesSeen;

    /** A processor writing every chunk to {@code archive}, which it closes when it stops. */
    public ArchiveProcessor(ProcessorOptions options, WavArchive archive, LineSink out) {
        super(options);
        this.archive = archive;
        this.out = out;
    }

    @Override
    protected void processData(AudioChunk chunk) throws IOException {
        archive.write(chunk);
        List<Path> files = archive.files();
        for (; filesSeen < files.size(); filesSeen++) {
            out.line(String.format("%s archive new file %s", Lines.head(chunk), files.get(filesSeen)));
        }
    }

    @Override
    protected void onGap(Gap gap) throws IOException {
        out.line(Lines.gap(gap) + "; the next chunk starts a new file");
        archive.onGap(gap.stream());
    }

    @Override
    protected void onStop() throws IOException {
        archive.close();
    }
}
