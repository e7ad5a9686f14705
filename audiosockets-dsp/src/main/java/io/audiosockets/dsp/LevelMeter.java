package io.audiosockets.dsp;

import java.util.Arrays;
import java.util.Objects;

/**
 * RMS and peak levels of a block of samples, per channel, in dBFS: {@code 20 log10(level)} relative to a
 * full scale of 1.0 (16-bit samples are normalised by 32768, as everywhere in audiosockets, before they get here).
 * A full-scale square wave reads 0 dBFS RMS; a full-scale sine reads -3.01 dBFS RMS and 0 dBFS peak.
 *
 * <p>Levels never go below {@link #FLOOR_DBFS} (-120 dBFS), so digital silence reads -120, never
 * {@code -Infinity} or {@code NaN}. -120 dBFS is 20 dB below the smallest non-zero 24-bit sample.
 *
 * <p>Stateless and thread-safe: every method depends only on its arguments.
 */
public final class LevelMeter {
    /** The lowest level reported, in dBFS: what silence reads. */
    public static final double FLOOR_DBFS = -120.0;

    private LevelMeter() {
    }

    /**
     * Levels of one block of samples. The arrays are the record's own, not copies: treat them as read-only.
     *
     * @param rmsDbfs per channel, the RMS level in dBFS (channel 0 first)
     * @param peakDbfs per channel, the peak absolute sample in dBFS
     * @param mixRmsDbfs the RMS of all the samples together (all channels), in dBFS
     * @param mixPeakDbfs the largest peak of any channel, in dBFS
     */
    public record Level(double[] rmsDbfs, double[] peakDbfs, double mixRmsDbfs, double mixPeakDbfs) {
        /** Checks that both arrays are there and have one value per channel. */
        public Level {
            Objects.requireNonNull(rmsDbfs, "rmsDbfs == null");
            Objects.requireNonNull(peakDbfs, "peakDbfs == null");
            if (rmsDbfs.length != peakDbfs.length) {
                throw new IllegalArgumentException("peakDbfs.length : " + peakDbfs.length
                        + " (expected: " + rmsDbfs.length + ", one per channel like rmsDbfs)");
            }
        }

        /** The number of channels measured. */
        public int channels() {
            return rmsDbfs.length;
        }

        /** Compares the levels by value. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Level l && Arrays.equals(rmsDbfs, l.rmsDbfs) && Arrays.equals(peakDbfs, l.peakDbfs)
                    && Double.compare(mixRmsDbfs, l.mixRmsDbfs) == 0 && Double.compare(mixPeakDbfs, l.mixPeakDbfs) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(rmsDbfs) + Arrays.hashCode(peakDbfs) + Double.hashCode(mixRmsDbfs);
        }

        /** The levels, rounded to 0.1 dB. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("Level{");
            for (int c = 0; c < rmsDbfs.length; c++) {
                b.append(c == 0 ? "" : ", ").append("ch").append(c).append(String.format(java.util.Locale.ROOT,
                        " rms %.1f peak %.1f dBFS", rmsDbfs[c], peakDbfs[c]));
            }
            return b.append('}').toString();
        }
    }

    /**
     * The levels of interleaved normalised samples (1.0 = full scale). No samples read the floor.
     *
     * @param interleaved samples, {@code channels} per frame
     * @param channels number of channels, &gt; 0, dividing {@code interleaved.length}
     * @throws IllegalArgumentException if {@code channels} is not positive or does not divide the length
     */
    public static Level measure(float[] interleaved, int channels) {
        Objects.requireNonNull(interleaved, "interleaved == null");
        return measure(interleaved, 0, interleaved.length, channels);
    }

    /**
     * The levels of {@code length} interleaved samples of {@code interleaved} from {@code offset}:
     * for a buffer the caller keeps and refills (nothing is allocated but the result).
     *
     * @param length number of samples (not frames), a multiple of {@code channels}
     * @param channels number of channels, &gt; 0
     * @throws IllegalArgumentException if {@code channels} is not positive or does not divide {@code length}
     * @throws IndexOutOfBoundsException if the range is not within {@code interleaved}
     */
    public static Level measure(float[] interleaved, int offset, int length, int channels) {
        Objects.requireNonNull(interleaved, "interleaved == null");
        Checks.frames("interleaved", length, channels);
        Checks.range("interleaved", offset, length, interleaved.length);
        double[] rms = new double[channels];
        double[] peak = new double[channels];
        int frames = length / channels;
        for (int i = 0, at = offset; i < frames; i++) {
            for (int c = 0; c < channels; c++, at++) {
                double s = interleaved[at];
                rms[c] += s * s;
                peak[c] = Math.max(peak[c], Math.abs(s));
            }
        }
        return toLevel(rms, peak, frames);
    }

    /** Turns per-channel sums of squares and peaks into dBFS, in place. */
    private static Level toLevel(double[] sumSquares, double[] peak, int frames) {
        double total = 0;
        double maxPeak = 0;
        for (int c = 0; c < sumSquares.length; c++) {
            total += sumSquares[c];
            maxPeak = Math.max(maxPeak, peak[c]);
            sumSquares[c] = frames == 0 ? FLOOR_DBFS : dbfs(Math.sqrt(sumSquares[c] / frames));
            peak[c] = dbfs(peak[c]);
        }
        double mixRms = frames == 0 ? FLOOR_DBFS : dbfs(Math.sqrt(total / ((double) frames * sumSquares.length)));
        return new Level(sumSquares, peak, mixRms, dbfs(maxPeak));
    }

    /**
     * An amplitude (1.0 = full scale) in dBFS, never below {@link #FLOOR_DBFS}.
     *
     * @param amplitude a non-negative amplitude
     */
    public static double dbfs(double amplitude) {
        if (!(amplitude > 0)) {
            return FLOOR_DBFS;
        }
        return Math.max(FLOOR_DBFS, 20 * Math.log10(amplitude));
    }
}
