package io.audiosockets.dsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a stream that arrives in chunks of any size into frames of {@code frameLength} samples
 * every {@code hopLength} samples, as if the whole stream had been one array: a frame may span
 * any number of chunks, and a chunk may complete any number of frames.
 *
 * <p>Frame {@code t} holds the samples {@code [t * hop - leadingZeros, t * hop - leadingZeros + frameLength)}
 * of the stream since the last {@link #reset()}; positions before the first sample are zeros.
 * With {@code leadingZeros = frameLength / 2} this is librosa's centred framing ({@code center=True}),
 * except at the end: a stream does not know where it ends, so the frames librosa pads on the
 * right are never emitted.
 *
 * <p><b>Gaps:</b> after {@link #reset()}, framing starts afresh from the next sample pushed, as if
 * that were the first sample of a new stream (the leading zeros come back too). Samples buffered
 * before the reset are dropped: a frame never joins audio from both sides of a gap.
 *
 * <p>Not thread-safe: owned by one processor thread. Pushing allocates nothing; the frame handed
 * to a {@link FrameSink} is this framer's own buffer, valid only during the call.
 */
public final class StreamFramer {
    /** Receives each frame as it completes. */
    @FunctionalInterface
    public interface FrameSink {
        /**
         * Called once per completed frame, in order.
         *
         * @param frame the frame's {@code frameLength} samples: the framer's buffer, valid only
         *              during this call; copy it to keep it, never modify it
         * @param index the frame's number since the last reset, from 0
         * @param startSample position of the frame's first sample since the last reset
         *                    (negative while the frame reaches into the leading zeros)
         */
        void onFrame(float[] frame, long index, long startSample);
    }

    private final int frameLength;
    private final int hopLength;
    private final int leadingZeros;
    private final float[] buffer;
    private int filled;
    /** Samples still to drop before the next frame starts, when the hop is longer than the frame. */
    private int skip;
    private long framesEmitted;
    private long samplesPushed;

    /**
     * A framer without leading zeros: frame 0 starts at the first sample.
     *
     * @param frameLength samples per frame, &gt; 0
     * @param hopLength samples from one frame's start to the next, &gt; 0 (may exceed the frame length)
     * @throws IllegalArgumentException naming the parameter and value that is out of range
     */
    public StreamFramer(int frameLength, int hopLength) {
        this(frameLength, hopLength, 0);
    }

    /**
     * A framer whose frame 0 starts {@code leadingZeros} samples before the first sample.
     *
     * @param frameLength samples per frame, &gt; 0
     * @param hopLength samples from one frame's start to the next, &gt; 0
     * @param leadingZeros zeros before the first sample, in [0, frameLength)
     * @throws IllegalArgumentException naming the parameter and value that is out of range
     */
    public StreamFramer(int frameLength, int hopLength, int leadingZeros) {
        this.frameLength = Checks.positive("frameLength", frameLength);
        this.hopLength = Checks.positive("hopLength", hopLength);
        if (leadingZeros < 0 || leadingZeros >= frameLength) {
            throw new IllegalArgumentException("leadingZeros : " + leadingZeros + " (expected: 0.." + (frameLength - 1) + ")");
        }
        this.leadingZeros = leadingZeros;
        this.buffer = new float[frameLength];
        reset();
    }

    /**
     * A framer from durations: {@code rint(sampleRate * ms / 1000)} samples each (half to even, as
     * {@link LogMelSpectrogram} rounds).
     *
     * @throws IllegalArgumentException naming the parameter and value that is out of range
     */
    public static StreamFramer ofMillis(int sampleRate, double frameMs, double hopMs) {
        return new StreamFramer(samples("frameMs", sampleRate, frameMs), samples("hopMs", sampleRate, hopMs));
    }

    static int samples(String name, int sampleRate, double ms) {
        Checks.positive("sampleRate", sampleRate);
        Checks.positiveFinite(name, ms);
        double n = Math.rint(sampleRate * ms / 1000.0);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " : " + ms + " (expected: at least one sample and at most "
                    + Integer.MAX_VALUE + " at " + sampleRate + " Hz)");
        }
        return (int) n;
    }

    /**
     * Pushes all of {@code samples}.
     *
     * @return the number of frames completed (and handed to {@code sink})
     */
    public int push(float[] samples, FrameSink sink) {
        return push(samples, 0, samples.length, sink);
    }

    /**
     * Pushes {@code length} samples from {@code offset}; every frame they complete goes to {@code sink}.
     *
     * @return the number of frames completed
     * @throws IndexOutOfBoundsException if the range is not within {@code samples}
     */
    public int push(float[] samples, int offset, int length, FrameSink sink) {
        Objects.requireNonNull(sink, "sink == null");
        Checks.range("samples", offset, length, samples.length);
        samplesPushed += length;
        int at = offset;
        int end = offset + length;
        int frames = 0;
        while (at < end) {
            if (skip > 0) {
                int n = Math.min(skip, end - at);
                skip -= n;
                at += n;
                continue;
            }
            int n = Math.min(frameLength - filled, end - at);
            System.arraycopy(samples, at, buffer, filled, n);
            filled += n;
            at += n;
            if (filled == frameLength) {
                sink.onFrame(buffer, framesEmitted, framesEmitted * hopLength - leadingZeros);
                framesEmitted++;
                frames++;
                if (hopLength < frameLength) {
                    System.arraycopy(buffer, hopLength, buffer, 0, frameLength - hopLength);
                    filled = frameLength - hopLength;
                } else {
                    filled = 0;
                    skip = hopLength - frameLength;
                }
            }
        }
        return frames;
    }

    /**
     * Pushes {@code samples} and returns the frames they complete, each a new array: for tests and
     * offline use; the streaming path is {@link #push(float[], FrameSink)}.
     */
    public List<float[]> push(float[] samples) {
        List<float[]> out = new ArrayList<>();
        push(samples, 0, samples.length, (frame, index, start) -> out.add(frame.clone()));
        return out;
    }

    /**
     * Forgets everything pushed so far, for a gap: the next sample pushed is sample 0 of a new
     * stream, and frame 0 starts {@code leadingZeros} before it.
     */
    public void reset() {
        java.util.Arrays.fill(buffer, 0, leadingZeros, 0f);
        filled = leadingZeros;
        skip = 0;
        framesEmitted = 0;
        samplesPushed = 0;
    }

    /**
     * How many frames {@code nSamples} pushed after a reset complete, whatever the chunking:
     * the frames whose last sample is among them.
     */
    public long framesFor(long nSamples) {
        long available = nSamples + leadingZeros;
        return available < frameLength ? 0 : 1 + (available - frameLength) / hopLength;
    }

    /** Samples per frame. */
    public int frameLength() {
        return frameLength;
    }

    /** Samples from one frame's start to the next. */
    public int hopLength() {
        return hopLength;
    }

    /** Zeros before the first sample. */
    public int leadingZeros() {
        return leadingZeros;
    }

    /** Frames completed since the last reset. */
    public long framesEmitted() {
        return framesEmitted;
    }

    /** Samples pushed since the last reset. */
    public long samplesPushed() {
        return samplesPushed;
    }

    @Override
    public String toString() {
        return "StreamFramer{frame=" + frameLength + ", hop=" + hopLength + ", leadingZeros=" + leadingZeros
                + ", frames=" + framesEmitted + ", samples=" + samplesPushed + "}";
    }
}
