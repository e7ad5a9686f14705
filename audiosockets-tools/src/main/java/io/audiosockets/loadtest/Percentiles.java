package io.audiosockets.loadtest;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution summed up: how many values, and the percentiles the benchmarks
 * report, in milliseconds.
 *
 * @param count values recorded
 * @param p50Ms median
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs the largest value
 */
public record Percentiles(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {
    /** No values at all. */
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);

    /** The percentiles of a histogram of nanoseconds. */
    public static Percentiles of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return EMPTY;
        }
        return new Percentiles(nanos.getTotalCount(), ms(nanos.getValueAtPercentile(50)), ms(nanos.getValueAtPercentile(90)),
                ms(nanos.getValueAtPercentile(99)), ms(nanos.getValueAtPercentile(99.9)), ms(nanos.getMaxValue()));
    }

    /** True if p50 <= p90 <= p99 <= p99.9 <= max. */
    public boolean ordered() {
        return p50Ms <= p90Ms && p90Ms <= p99Ms && p99Ms <= p999Ms && p999Ms <= maxMs;
    }

    private static double ms(long nanos) {
        // HdrHistogram reports the highest equivalent value of a bucket; three decimals (1 us) is its precision here.
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
