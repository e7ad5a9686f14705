package io.audiosockets.dsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link LogMelSpectrogram} computed as the audio arrives: blocks of mono samples of any size
 * go in, one log-mel column comes out per hop as soon as its window is complete.
 *
 * <p>Column {@code t} is exactly column {@code t} of {@code LogMelSpectrogram.compute} over the
 * whole stream since the last reset: frame 0 starts {@code nFft / 2} samples before the first
 * sample (zeros), as librosa's centring does. The stream cannot know where it ends, so the last
 * few batch columns, whose windows librosa pads with zeros on the right, are never emitted:
 * after {@code n} samples the stream has emitted {@link #columnsFor(long) columnsFor(n)} columns,
 * {@code 1 + (n + nFft/2 - nFft) / hop} once {@code n + nFft/2 >= nFft}.
 *
 * <p><b>Continuity:</b> every sample pushed is taken to follow the previous one directly. Where
 * audio is missing (a gap: chunks lost, or a sequence number that does not follow the previous
 * one), call {@link #reset()} before pushing what comes after it: the framing restarts, so that
 * the first sample after the gap starts column 0 of a new stream (with its leading zeros), and no
 * column joins audio from both sides of the gap. The caller knows where its samples come from
 * (chunks and their sequence numbers, a file, a device) and so whether they follow; this class
 * only sees samples.
 *
 * <p>Not thread-safe: owned by one thread, one instance per stream. Pushing allocates nothing; the
 * column handed to a {@link ColumnSink} is this object's buffer, valid only during the call.
 */
public final class StreamingLogMel {
    /** Receives each log-mel column as it completes. */
    @FunctionalInterface
    public interface ColumnSink {
        /**
         * Called once per column, in order.
         *
         * @param logMel the {@code nMels} log-mel values, lowest band first: a buffer valid only
         *               during this call; copy it to keep it
         * @param index the column's number since the last reset, from 0 (the batch column index)
         */
        void onColumn(double[] logMel, long index);
    }

    private final LogMelSpectrogram spectrogram;
    private final StreamFramer framer;
    private final double[] column;
    private final StreamFramer.FrameSink frameSink = this::onFrame;
    private ColumnSink sink;

    /**
     * A streaming version of {@code spectrogram}, which it uses for every column (and so owns from now on).
     */
    public StreamingLogMel(LogMelSpectrogram spectrogram) {
        this.spectrogram = Objects.requireNonNull(spectrogram, "spectrogram == null");
        int nFft = spectrogram.nFft();
        this.framer = new StreamFramer(nFft, spectrogram.hopLength(), nFft / 2);
        this.column = new double[spectrogram.nMels()];
    }

    /**
     * Pushes {@code length} mono samples of {@code mono} from {@code offset}, sampled at the
     * spectrogram's rate and following the samples pushed before (see the class comment on gaps);
     * every column they complete goes to {@code sink}. Allocates nothing: {@code mono} may be a
     * buffer the caller refills for every chunk.
     *
     * @return the number of columns completed
     * @throws IndexOutOfBoundsException if the range is not within {@code mono}
     */
    public int push(float[] mono, int offset, int length, ColumnSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink == null");
        try {
            return framer.push(mono, offset, length, frameSink);
        } finally {
            this.sink = null;
        }
    }

    /** Pushes mono samples and returns the columns they complete, each a new array: for tests and offline use. */
    public List<double[]> push(float[] mono) {
        List<double[]> out = new ArrayList<>();
        push(mono, 0, mono.length, (col, index) -> out.add(col.clone()));
        return out;
    }

    private void onFrame(float[] frame, long index, long startSample) {
        spectrogram.computeFrame(frame, 0, column);
        sink.onColumn(column, index);
    }

    /** Forgets the stream so far, for a gap: the next sample pushed starts column 0 of a new stream. */
    public void reset() {
        framer.reset();
    }

    /** The number of columns a stream of {@code nSamples} samples has emitted, whatever its chunking. */
    public long columnsFor(long nSamples) {
        return framer.framesFor(nSamples);
    }

    /** Columns emitted since the last reset. */
    public long columnsEmitted() {
        return framer.framesEmitted();
    }

    /** The spectrogram whose columns this computes. */
    public LogMelSpectrogram spectrogram() {
        return spectrogram;
    }

    @Override
    public String toString() {
        return "StreamingLogMel{" + spectrogram + ", columns=" + framer.framesEmitted() + "}";
    }
}
