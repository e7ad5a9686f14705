package io.audiosockets.loadtest;

import java.time.Instant;

/**
 * The wall clock read through the monotonic clock: epoch nanoseconds as
 * {@code epochAtStart + (System.nanoTime() - nanoAtStart)}. Chunk capture times are epoch
 * nanoseconds counted from one {@code Instant.now()} at capture start plus sample counts, so
 * comparing them with this clock (rather than with {@code Instant.now()} at every chunk) keeps
 * NTP slewing of the wall clock out of the latencies of a run in one JVM.
 *
 * <p>Immutable; thread-safe.
 */
public final class BenchClock {
    private final long epochAtStart;
    private final long nanoAtStart;

    private BenchClock(long epochAtStart, long nanoAtStart) {
        this.epochAtStart = epochAtStart;
        this.nanoAtStart = nanoAtStart;
    }

    /** A clock anchored now. */
    public static BenchClock start() {
        long nano = System.nanoTime();
        Instant now = Instant.now();
        return new BenchClock(now.getEpochSecond() * 1_000_000_000L + now.getNano(), nano);
    }

    /** The epoch time {@code epochNanos} on the {@link System#nanoTime()} scale. */
    public long toNanoTime(long epochNanos) {
        return epochNanos - epochAtStart + nanoAtStart;
    }

    /** The {@link System#nanoTime()} instant {@code nanoTime} as epoch nanoseconds: the inverse of {@link #toNanoTime}. */
    public long toEpochNanos(long nanoTime) {
        return nanoTime - nanoAtStart + epochAtStart;
    }
}
