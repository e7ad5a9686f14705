package io.audiosockets.recorder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the acknowledged audio that the recorders of one program keep, all together. A
 * recorder keeps what the mailman has acknowledged (up to {@code RECORDER_BUFFER_SECONDS}) only to
 * send it again to a mailman that restarted and lost it; a program that runs a thousand recorders
 * (a gateway for many lines) would keep a thousand times that. Give them one budget
 * ({@code RecorderOptions.Builder.replayBudget}) and, when the total is over it, the recorder that
 * acknowledged last lets go of its oldest acknowledged chunks.
 *
 * <p>Nothing not yet acknowledged is ever let go for the budget, so it loses nothing a running
 * mailman has not stored; it only makes replay shallower after a mailman restart, and what a
 * replay can no longer give becomes the usual exact {@code NOT_AVAILABLE} gap.
 *
 * <p>Thread-safe.
 */
public final class ReplayBudget {
    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();

    private ReplayBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * A budget of {@code maxBytes} of acknowledged audio, all recorders given it together.
     *
     * @throws IllegalArgumentException if {@code maxBytes < 0}
     */
    public static ReplayBudget ofBytes(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes : " + maxBytes + " (expected: >= 0)");
        }
        return new ReplayBudget(maxBytes);
    }

    /** No bound beyond each recorder's own: what a recorder without a shared budget has. */
    static ReplayBudget unlimited() {
        return new ReplayBudget(Long.MAX_VALUE);
    }

    /** The bound. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Acknowledged audio the recorders hold now, all together. */
    public long heldBytes() {
        return held.get();
    }

    void add(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    boolean over() {
        return held.get() > maxBytes;
    }
}
