package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.LevelMeter;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.util.Locale;

/** A level meter: RMS and peak in dBFS per chunk (and per channel when there are several), with a bar. */
public final class LevelProcessor extends BaseProcessor {
    private static final int BAR_WIDTH = 30;
    private final LineSink out;
    private final ChunkLevel levels = new ChunkLevel();

    /** A level meter writing to {@code out}. */
    public LevelProcessor(ProcessorOptions options, LineSink out) {
        super(options);
        this.out = out;
    }

    @Override
    protected void processData(AudioChunk chunk) {
        LevelMeter.Level level = levels.of(chunk);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %s level rms %6.1f peak %6.1f dBFS %s",
                Lines.head(chunk), Lines.clock(chunk.captureTimeNanos()), level.mixRmsDbfs(), level.mixPeakDbfs(),
                Lines.bar(level.mixRmsDbfs(), BAR_WIDTH)));
        if (level.channels() > 1) {
            for (int c = 0; c < level.channels(); c++) {
                line.append(String.format(Locale.ROOT, "  ch%d %.1f/%.1f", c, level.rmsDbfs()[c], level.peakDbfs()[c]));
            }
        }
        out.line(line.toString());
    }

    @Override
    protected void onGap(Gap gap) {
        out.line(Lines.gap(gap));
    }
}
