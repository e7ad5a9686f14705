package io.audiosockets.loadtest;

import java.time.Duration;

/**
 * The resources a run used, for the table and the JSON: CPU over the measured interval and
 * memory at its end.
 *
 * @param cores CPU time over the interval divided by its length (2.0 = both cores of a 2-core machine), -1 if unknown
 * @param heapUsedMb heap in use at the end, MB (10^6 bytes), -1 if unknown
 * @param rssMb resident set at the end, MB, -1 if unknown
 * @param peakRssMb largest resident set so far, MB, -1 if unknown
 */
public record Usage(double cores, double heapUsedMb, double rssMb, double peakRssMb) {

    /** The usage between two samples of the same process taken {@code elapsed} apart. */
    public static Usage between(Resources before, Resources after, Duration elapsed) {
        return new Usage(round2(after.coresUsedSince(before, elapsed)), mb(after.heapUsedBytes()), mb(after.rssBytes()),
                mb(after.peakRssBytes()));
    }

    private static double mb(long bytes) {
        return bytes < 0 ? -1 : Math.round(bytes / 1e5) / 10.0;
    }

    private static double round2(double v) {
        return v < 0 ? -1 : Math.round(v * 100) / 100.0;
    }
}
