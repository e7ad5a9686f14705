package io.audiosockets.loadtest;

import java.util.concurrent.locks.LockSupport;

/**
 * Real-time pace: chunk {@code k} is handed over when its last sample would have been captured,
 * {@code start + (k + 1) * chunkDuration}, where {@code start} is the first call. That moment is
 * the chunk's <em>scheduled hand-off</em>, the reference of every latency: a capture thread that
 * wakes late, or a recorder that stalls, shows as latency instead of being hidden.
 *
 * <p>{@link #awaitTurn} is called by the capture thread only; {@link #scheduledNanos} from any
 * thread once that chunk was handed over.
 */
final class PacedGate implements Gate {
    private final long chunkNanos;
    private final Latencies lateness;
    private volatile long startNanos;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile Thread waiter;

    /**
     * A pace of one chunk every {@code chunkNanos}.
     *
     * @param lateness where to record how late each hand-off is against its schedule (the capture
     *     thread's wake-up delay, part of every latency measured downstream), or null
     */
    PacedGate(long chunkNanos, Latencies lateness) {
        if (chunkNanos <= 0) {
            throw new IllegalArgumentException("chunkNanos : " + chunkNanos + " (expected: > 0)");
        }
        this.chunkNanos = chunkNanos;
        this.lateness = lateness;
    }

    @Override
    public boolean awaitTurn(long index) throws InterruptedException {
        if (!started) {
            startNanos = System.nanoTime();
            started = true;
        }
        long due = scheduledNanos(index);
        waiter = Thread.currentThread();
        try {
            for (long wait = due - System.nanoTime(); wait > 0 && !closed; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(this, wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while pacing");
                }
            }
        } finally {
            waiter = null;
        }
        if (lateness != null) {
            lateness.record(due, System.nanoTime());
        }
        return !closed;
    }

    /** When chunk {@code index} is due, on {@link System#nanoTime()}. Valid once the first chunk was asked for. */
    long scheduledNanos(long index) {
        return startNanos + (index + 1) * chunkNanos;
    }

    @Override
    public void close() {
        closed = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
