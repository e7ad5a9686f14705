package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.dsp.StreamingLogMel;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's log-mel spectrogram, streamed: 25 ms windows every 10 ms, 128 mel bands, columns
 * that continue across chunk boundaries. Prints one line per chunk (columns completed, their mean
 * and maximum); with a CSV file, also writes every column there, one row each.
 *
 * <p>The CSV's columns are {@code stream,column,time_s,mel0,...,melN-1}, where {@code column}
 * counts from the stream's start (or its last gap, which restarts the framing) and
 * {@code time_s} is the column's centre in seconds on the same count, as in librosa.
 *
 * <p>All state (one {@link StreamingLogMel} per stream, the CSV writer, the per-chunk totals) is
 * owned by the processor thread.
 */
public final class LogMelProcessor extends BaseProcessor {
    private final LineSink out;
    private final int nMels;
    /** Owned by the processor thread (created before it starts). */
    private final Map<String, StreamingLogMel> spectrograms = new HashMap<>();
    /** Each stream's last sequence number, to restart the framing where one is missing. */
    private final Map<String, Long> lastSeqs = new HashMap<>();
    /** The chunk's mono mix, decoded into a buffer kept for the next chunk. */
    private float[] mono;
    private final BufferedWriter csv;
    private String stream;
    private int columns;
    private double sum;
    private double max;

    /**
     * A streaming log-mel.
     *
     * @param nMels mel bands (the paper: 128)
     * @param csv where to write the columns (this processor closes it), or null for none
     */
    public LogMelProcessor(ProcessorOptions options, int nMels, BufferedWriter csv, LineSink out) {
        super(options);
        this.nMels = nMels;
        this.csv = csv;
        this.out = out;
    }

    /**
     * Creates {@code file} for {@link LogMelProcessor}'s CSV output and writes its header row.
     *
     * @throws IOException if the file cannot be created
     */
    public static BufferedWriter openCsv(Path file, int nMels) throws IOException {
        BufferedWriter csv = Files.newBufferedWriter(file);
        StringBuilder header = new StringBuilder("stream,column,time_s");
        for (int m = 0; m < nMels; m++) {
            header.append(",mel").append(m);
        }
        csv.write(header.append('\n').toString());
        return csv;
    }

    @Override
    protected void processData(AudioChunk chunk) throws IOException {
        StreamingLogMel lms = spectrograms.get(chunk.stream());
        if (lms == null || lms.spectrogram().sampleRate() != chunk.sampleRate()) {
            lms = new StreamingLogMel(new LogMelSpectrogram(chunk.sampleRate(), nMels, LogMelSpectrogram.DEFAULT_WIN_DUR,
                    LogMelSpectrogram.DEFAULT_HOP_DUR, LogMelSpectrogram.DEFAULT_EPS));
            spectrograms.put(chunk.stream(), lms);
        }
        Long last = lastSeqs.put(chunk.stream(), chunk.seq());
        if (last != null && chunk.seq() != last + 1) {
            // Audio is missing even if no GAP said so (a resume from elsewhere): no column may span it.
            lms.reset();
        }
        stream = chunk.stream();
        columns = 0;
        sum = 0;
        max = Double.NEGATIVE_INFINITY;
        double hopSeconds = lms.spectrogram().hopLength() / (double) chunk.sampleRate();
        mono = ChunkSamples.mono(chunk, mono);
        lms.push(mono, 0, chunk.frames(), (logMel, index) -> onColumn(logMel, index, hopSeconds));
        out.line(String.format(Locale.ROOT, "%s logmel %3d columns x %d mels  total %7d  mean %7.2f  max %7.2f",
                Lines.head(chunk), columns, nMels, lms.columnsEmitted(), columns == 0 ? Double.NaN : sum / (columns * (double) nMels),
                columns == 0 ? Double.NaN : max));
        if (csv != null) {
            csv.flush();
        }
    }

    private void onColumn(double[] logMel, long index, double hopSeconds) {
        columns++;
        for (double v : logMel) {
            sum += v;
            max = Math.max(max, v);
        }
        if (csv != null) {
            StringBuilder row = new StringBuilder(nMels * 12).append(stream).append(',').append(index).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", index * hopSeconds));
            for (double v : logMel) {
                row.append(',').append((float) v);
            }
            try {
                csv.write(row.append('\n').toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the log-mel CSV", e);
            }
        }
    }

    @Override
    protected void onGap(Gap gap) {
        out.line(Lines.gap(gap) + "; the log-mel framing restarts");
        StreamingLogMel lms = spectrograms.get(gap.stream());
        if (lms != null) {
            lms.reset();
        }
    }

    @Override
    protected void onStop() throws IOException {
        if (csv != null) {
            csv.close();
        }
    }
}
