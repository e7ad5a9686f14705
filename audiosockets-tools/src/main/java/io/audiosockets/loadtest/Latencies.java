package io.audiosockets.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one group (the processors of a run, a recorder's acknowledgements...), split
 * into named phases by the time each value was <em>scheduled</em>, not the time it was measured:
 * a chunk due before a crash counts as "before" even if it arrives after it, so a stall is
 * charged to the phase it hit.
 *
 * <p>Values scheduled before the first phase starts (the warm-up) are not recorded. Every value
 * is {@code now - scheduled} on {@link System#nanoTime()}; a value can never be hidden by
 * measuring from the time a message was actually sent (coordinated omission).
 *
 * <p>Thread-safe: any number of threads may {@link #record} concurrently (wait-free, through
 * HdrHistogram's {@link Recorder}); phases are started by one controlling thread.
 */
public final class Latencies {
    /** Lowest value told apart: 1 us. */
    private static final long LOWEST_NANOS = 1_000;
    /** Highest value tracked: one hour. */
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final List<String> names;
    private final Recorder[] phases;
    /** Start of each phase on System.nanoTime(), Long.MAX_VALUE until started. */
    private final AtomicLongArray starts;
    private final AtomicLong negative = new AtomicLong();

    /** A group with these phases, in order; none started yet. */
    public Latencies(String... phaseNames) {
        if (phaseNames.length == 0) {
            throw new IllegalArgumentException("phaseNames: none (expected: at least one)");
        }
        this.names = List.of(phaseNames);
        this.phases = new Recorder[phaseNames.length];
        this.starts = new AtomicLongArray(phaseNames.length);
        for (int i = 0; i < phases.length; i++) {
            phases[i] = new Recorder(LOWEST_NANOS, HIGHEST_NANOS, 3);
            starts.set(i, Long.MAX_VALUE);
        }
    }

    /**
     * Values scheduled from {@code atNanos} on belong to phase {@code index} (until the next
     * phase starts). Phases must be started in order.
     */
    public synchronized void startPhase(int index, long atNanos) {
        if (index > 0 && starts.get(index - 1) > atNanos) {
            throw new IllegalStateException("phase " + names.get(index) + " started before phase " + names.get(index - 1));
        }
        if (index + 1 < names.size() && starts.get(index + 1) < atNanos) {
            throw new IllegalStateException("phase " + names.get(index) + " started after phase " + names.get(index + 1));
        }
        starts.set(index, atNanos);
    }

    /**
     * Records {@code nowNanos - scheduledNanos} in the phase {@code scheduledNanos} falls in.
     * A negative difference (a clock mismatch of a few microseconds) is recorded as 0 and counted.
     */
    public void record(long scheduledNanos, long nowNanos) {
        int phase = -1;
        for (int i = starts.length() - 1; i >= 0; i--) {
            if (scheduledNanos >= starts.get(i)) {
                phase = i;
                break;
            }
        }
        if (phase < 0) {
            return;
        }
        long latency = nowNanos - scheduledNanos;
        if (latency < 0) {
            negative.incrementAndGet();
            latency = 0;
        }
        phases[phase].recordValue(Math.min(latency, HIGHEST_NANOS));
    }

    /** Values that came out negative (recorded as 0): a sign of clocks that disagree. */
    public long negativeCount() {
        return negative.get();
    }

    /**
     * Everything recorded in phase {@code index} since the previous call for it. Call it once
     * the phase's values are all in (the run has ended).
     */
    public Histogram histogram(int index) {
        return phases[index].getIntervalHistogram();
    }

    /** Percentiles of every phase, in order; drains each phase (see {@link #histogram}). */
    public List<Percentiles> percentiles() {
        List<Percentiles> out = new ArrayList<>();
        for (int i = 0; i < phases.length; i++) {
            out.add(Percentiles.of(histogram(i)));
        }
        return out;
    }

    /** The phase names, in order. */
    public List<String> names() {
        return names;
    }
}
