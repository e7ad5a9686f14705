package io.audiosockets.internal.audio;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a file or synthetic source to real time: {@link #await(long)} returns when the given
 * number of frames would have been captured by a real device since {@link #start()}.
 *
 * <p>Not thread-safe; owned by the capture thread.
 */
public final class Pacer {
    private final int sampleRate;
    private long startNanos;
    private boolean started;

    /** A pacer for audio at {@code sampleRate}. */
    public Pacer(int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate : " + sampleRate + " (expected: > 0)");
        }
        this.sampleRate = sampleRate;
    }

    /** Starts the clock (the first call only). */
    public void start() {
        if (!started) {
            started = true;
            startNanos = System.nanoTime();
        }
    }

    /**
     * Blocks until {@code framesCaptured} frames worth of time has passed since {@link #start()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void await(long framesCaptured) throws InterruptedException {
        start();
        long due = startNanos + framesCaptured * 1_000_000_000L / sampleRate;
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while pacing audio");
            }
        }
    }
}
