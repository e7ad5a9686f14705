package io.audiosockets.recorder;

/**
 * Turns a frame's position in the source's timeline into the wall-clock time it was captured.
 *
 * <p>The rule: {@code time(frame) = anchor + frame / sampleRate + correction}, where the anchor is
 * the wall-clock time capture started and the frame count includes frames the source lost. For
 * a source without a clock of its own (a file, a synthetic signal, a pipe) the correction is
 * always 0: time is the pure sample count, and consecutive chunks differ by exactly their
 * duration.
 *
 * <p>For a live source (a sound card, whose crystal runs slightly faster or slower than ours,
 * typically within 100 ppm: 0.36 s an hour) the correction follows the wall clock at a bounded
 * rate. After each chunk, {@link #observe} records how far the wall clock is past the sample time
 * of the chunk's end. Scheduling and driver latency only ever add to that lateness, so the
 * smallest value over a window of {@link #WINDOW_NANOS} of audio is the honest measure of the
 * offset. At the end of a window the correction is steered so that this minimum falls into
 * {@code [0, TOLERANCE_NANOS]}: sample time is never ahead of the wall clock (a sample cannot be
 * read before it is captured) and never behind it by more than the tolerance. The correction
 * moves by at most {@link #MAX_SLEW} of each chunk's duration (500 ppm: 10 us on a 20 ms chunk),
 * so consecutive chunks differ by their duration within 0.05 %, and a drift of up to that rate is
 * followed.
 *
 * <p>Not thread-safe: owned by the capture thread.
 */
final class CaptureClock {
    /** The audio over which the smallest lateness is taken. */
    static final long WINDOW_NANOS = 5_000_000_000L;
    /** Lateness tolerated without correction: driver and scheduling latency. */
    static final long TOLERANCE_NANOS = 10_000_000L;
    /** The most the correction moves, as a fraction of the audio time that passes. */
    static final double MAX_SLEW = 500e-6;

    private final int sampleRate;
    private final long anchorNanos;
    private final boolean live;
    private long correctionNanos;
    /** Correction still to apply, at most MAX_SLEW per chunk. */
    private long pendingNanos;
    private long windowStartFrame;
    private long windowMinLateness = Long.MAX_VALUE;

    CaptureClock(int sampleRate, long anchorEpochNanos, boolean live) {
        this.sampleRate = sampleRate;
        this.anchorNanos = anchorEpochNanos;
        this.live = live;
    }

    /** The wall-clock time (epoch nanoseconds) at which {@code frame} of the timeline was captured. */
    long timeOf(long frame) {
        // Whole seconds and the remainder apart: no overflow for any realistic recording length.
        return anchorNanos + frame / sampleRate * 1_000_000_000L + frame % sampleRate * 1_000_000_000L / sampleRate + correctionNanos;
    }

    /** The wall-clock time (epoch nanoseconds) at which capture started: the time of frame 0 before any correction. */
    long anchorNanos() {
        return anchorNanos;
    }

    /** The correction now applied, in nanoseconds (0 for a source that is not live). */
    long correctionNanos() {
        return correctionNanos;
    }

    /**
     * After a chunk of {@code frames} frames ending at timeline frame {@code endFrame} was read at
     * wall-clock time {@code nowEpochNanos}: slews the correction and starts a new window when one
     * is complete. Call it after the chunk's time was taken.
     */
    void observe(long endFrame, int frames, long nowEpochNanos) {
        if (!live) {
            return;
        }
        long step = (long) (MAX_SLEW * frames * 1_000_000_000L / sampleRate);
        long applied = Math.max(-step, Math.min(step, pendingNanos));
        correctionNanos += applied;
        pendingNanos -= applied;
        // Lateness once the pending correction is applied too: what is still to be corrected.
        windowMinLateness = Math.min(windowMinLateness, nowEpochNanos - timeOf(endFrame) - pendingNanos);
        if ((endFrame - windowStartFrame) * 1_000_000_000L / sampleRate >= WINDOW_NANOS) {
            long lateness = windowMinLateness;
            if (lateness < 0) {
                pendingNanos += lateness;
            } else if (lateness > TOLERANCE_NANOS) {
                pendingNanos += lateness - TOLERANCE_NANOS;
            }
            windowStartFrame = endFrame;
            windowMinLateness = Long.MAX_VALUE;
        }
    }
}
