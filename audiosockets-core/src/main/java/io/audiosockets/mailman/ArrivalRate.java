package io.audiosockets.mailman;

import java.util.Arrays;

/**
 * How many chunks a stream received per second over the last {@link #WINDOW_NANOS}, counted in
 * {@value #BUCKETS} buckets of 100 ms: recording an arrival and reading the rate cost the same
 * whatever the stream's rate (a scan of the retained chunks, at a fast stream's 250,000 chunks a
 * second, held the stream's lock for milliseconds). The bucket being filled counts in full, so
 * the rate covers between 1.9 and 2 s. Confined under its {@link StreamLog}'s monitor.
 */
final class ArrivalRate {
    static final int BUCKETS = 20;
    static final long BUCKET_NANOS = 100_000_000L;
    static final long WINDOW_NANOS = BUCKETS * BUCKET_NANOS;
    private final long[] counts = new long[BUCKETS];
    /** The 100 ms period each bucket counts ({@code nanos / BUCKET_NANOS}); -1 for never used. */
    private final long[] periods = new long[BUCKETS];

    ArrivalRate() {
        Arrays.fill(periods, -1);
    }

    /** One chunk arrived at {@code nanos} ({@link Ticker} time). */
    void arrived(long nanos) {
        long period = Math.floorDiv(nanos, BUCKET_NANOS);
        int i = (int) Math.floorMod(period, BUCKETS);
        if (periods[i] != period) {
            periods[i] = period;
            counts[i] = 0;
        }
        counts[i]++;
    }

    /** Chunks per second that arrived in the window ending at {@code nanos}. */
    double perSecond(long nanos) {
        long now = Math.floorDiv(nanos, BUCKET_NANOS);
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (periods[i] > now - BUCKETS && periods[i] <= now) {
                sum += counts[i];
            }
        }
        return sum / (WINDOW_NANOS / 1e9);
    }
}
