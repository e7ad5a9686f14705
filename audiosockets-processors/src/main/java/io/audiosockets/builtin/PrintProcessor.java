package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.LevelMeter;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.ResultRecord;
import java.util.Locale;

/**
 * Prints what arrives: stream, sequence number, format, level and the latency from capture to
 * here ("ahead" instead for a chunk stamped later than now: the audio of a source read faster than
 * real time, a pipe from a file, whose times are its own timeline; see {@code Recorder}), and
 * "redelivered" on a chunk a crashed predecessor under the same name was sent but
 * never acknowledged (it may have printed it already). The first thing to run against a new
 * recorder.
 */
public final class PrintProcessor extends BaseProcessor {
    private final LineSink out;
    private final ChunkLevel levels = new ChunkLevel();

    /** A print processor writing to {@code out}. */
    public PrintProcessor(ProcessorOptions options, LineSink out) {
        super(options);
        this.out = out;
    }

    @Override
    protected void processData(AudioChunk chunk) {
        LevelMeter.Level level = levels.of(chunk);
        double latency = Lines.latencyMillis(chunk);
        // A source read faster than real time (a pipe from a file) is stamped on its own timeline, ahead of the clock.
        out.line(String.format(Locale.ROOT, "%s %s %6d frames  %5d Hz %d ch %-7s rms %6.1f dBFS  %s %6.1f ms%s",
                Lines.head(chunk), Lines.clock(chunk.captureTimeNanos()), chunk.frames(), chunk.sampleRate(), chunk.channels(),
                chunk.format(), level.mixRmsDbfs(), latency < 0 ? "ahead  " : "latency", Math.abs(latency),
                isRedelivery() ? "  redelivered" : ""));
    }

    /** A record of a result stream (PROTOCOL.md §9): its time, type and, for JSON, the text; for FLOAT32, the values. */
    @Override
    protected void processRecord(ResultRecord record) {
        String payload = switch (record.contentType()) {
            case JSON -> record.text();
            case FLOAT32 -> java.util.Arrays.toString(record.floats());
            case BYTES -> record.data().length + " bytes";
        };
        out.line(String.format(Locale.ROOT, "%-12s #%-6d %s record %-7s %s%s", record.stream(), record.seq(),
                Lines.clock(record.timeNanos()), record.contentType(), payload, isRedelivery() ? "  redelivered" : ""));
    }

    @Override
    protected void onGap(Gap gap) {
        out.line(Lines.gap(gap));
    }
}
