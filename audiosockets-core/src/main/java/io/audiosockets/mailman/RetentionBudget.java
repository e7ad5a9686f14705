package io.audiosockets.mailman;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a mailman holds for its streams, all streams together, kept to RETENTION_MAX_BYTES
 * whatever the number of streams: each stream's own bounds (RETENTION_SECONDS, RETENTION_BYTES)
 * times a thousand streams would be more memory than the JVM has.
 *
 * <p>Every stream log adds what it takes in and subtracts what it lets go. When the total goes
 * over the budget, the registry {@linkplain Registry#reclaim() reclaims}: it evicts the audio
 * that arrived first, across all streams, until the total is back under the low-water mark
 * (nine tenths of the budget, so that one reclaim serves many chunks). Processors that still
 * needed what was evicted get the exact GAP (RETENTION_EXCEEDED), as for any eviction.
 *
 * <p>Thread-safe without locks: appenders on every event loop count; one of them at a time
 * reclaims ({@link #startReclaim()}).
 */
final class RetentionBudget {
    private final long maxBytes;
    private final long lowWaterBytes;
    private final AtomicLong used = new AtomicLong();
    /** Bytes ever taken in: each chunk's value when it came is its place in the order of arrival, across streams. */
    private final AtomicLong arrived = new AtomicLong();
    private final AtomicBoolean reclaiming = new AtomicBoolean();
    /** The direct memory the logs' slabs take: the chunks' bytes and the room around them (see {@link ChunkSlabs}). */
    private final AtomicLong slabBytes = new AtomicLong();

    /** A budget of {@code maxBytes} (&gt; 0). */
    RetentionBudget(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes : " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
        this.lowWaterBytes = maxBytes - maxBytes / 10;
    }

    /** The budget. */
    long maxBytes() {
        return maxBytes;
    }

    /** What a reclaim brings the total down to. */
    long lowWaterBytes() {
        return lowWaterBytes;
    }

    /** Bytes held now, all streams together. */
    long usedBytes() {
        return used.get();
    }

    /**
     * A log took in {@code bytes}; returns the chunk's arrival order: the bytes taken in before it,
     * all streams together, so that the order of two chunks of different streams says which came
     * first, whatever the clock.
     */
    long take(long bytes) {
        used.addAndGet(bytes);
        return arrived.getAndAdd(bytes);
    }

    /** The arrival order the next chunk taken in will have. */
    long nextOrder() {
        return arrived.get();
    }

    /** A log let go of {@code bytes}. */
    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** A log's slabs took {@code bytes} of direct memory (positive) or let go of them (negative). */
    void slabsChanged(long bytes) {
        slabBytes.addAndGet(bytes);
    }

    /**
     * The direct memory the logs' slabs take now: {@link #usedBytes()} and the room around the
     * chunks, at most two slabs per stream, which the budget does not count.
     */
    long slabBytes() {
        return slabBytes.get();
    }

    /** Whether the total is over the budget. */
    boolean over() {
        return used.get() > maxBytes;
    }

    /** How much must go for the total to be back at the low-water mark (0 if it is). */
    long excessOverLowWater() {
        return Math.max(0, used.get() - lowWaterBytes);
    }

    /** Claims the one reclaim that may run at a time; false if another thread is reclaiming. */
    boolean startReclaim() {
        return reclaiming.compareAndSet(false, true);
    }

    /** Ends the reclaim {@link #startReclaim()} claimed. */
    void endReclaim() {
        reclaiming.set(false);
    }
}
