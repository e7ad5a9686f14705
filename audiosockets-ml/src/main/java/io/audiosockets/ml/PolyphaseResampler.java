package io.audiosockets.ml;

import java.util.Arrays;

/**
 * Changes a stream's sample rate by the rational factor {@code up / down} with an anti-aliasing
 * low-pass FIR, fed chunk by chunk: the output equals scipy's
 * {@code scipy.signal.resample_poly(x, up, down)} (Kaiser window, beta 5, {@code 2 * 10 * max(up, down) + 1}
 * taps, cut-off at the lower of the two Nyquist frequencies) over the whole stream, except that the
 * last outputs, whose filter reaches past the newest input, are emitted only when that input arrives.
 *
 * <p>Output {@code n} is the signal at input time {@code n * down / up}: no delay is added to the
 * timeline (scipy compensates the filter's delay the same way), so output {@code n} of a chunked
 * stream is output {@code n} of the whole. The price is latency: an output is ready {@code 10 * max(up, down) / up}
 * input samples after its time.
 *
 * <p>Not thread-safe: owned by one stream's thread.
 */
public final class PolyphaseResampler {
    /** Receives resampled samples; the array is the resampler's buffer, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Called with the outputs a push completed, in order.
         *
         * @param samples buffer holding them from index 0
         * @param length how many
         * @param firstIndex the output index of {@code samples[0]} since the last reset
         */
        void onSamples(float[] samples, int length, long firstIndex);
    }

    private final int up;
    private final int down;
    private final int halfLen;
    /** The prototype filter h0 (scaled by up), 2 * halfLen + 1 taps. */
    private final double[] taps;
    /** The input history: inputs from historyStart on. */
    private float[] history;
    private long historyStart;
    private int historyLength;
    private long nextOutput;
    private float[] out = new float[256];

    /**
     * A resampler from {@code inputRate} to {@code outputRate} Hz.
     *
     * @throws IllegalArgumentException if a rate is not positive
     */
    public PolyphaseResampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates : " + inputRate + " -> " + outputRate + " (expected: both > 0 Hz)");
        }
        int g = gcd(inputRate, outputRate);
        this.up = outputRate / g;
        this.down = inputRate / g;
        int maxRate = Math.max(up, down);
        this.halfLen = 10 * maxRate;
        this.taps = kaiserLowPass(2 * halfLen + 1, 1.0 / maxRate, 5.0);
        for (int i = 0; i < taps.length; i++) {
            taps[i] *= up;
        }
        this.history = new float[Math.max(1024, 4 * (halfLen / up + 2))];
    }

    /** The interpolation factor after reduction by the rates' greatest common divisor. */
    public int up() {
        return up;
    }

    /** The decimation factor after reduction by the rates' greatest common divisor. */
    public int down() {
        return down;
    }

    /**
     * Pushes input samples; every output they complete goes to {@code sink}.
     *
     * @return how many outputs were emitted
     */
    public int push(float[] samples, int offset, int length, Sink sink) {
        if (offset < 0 || length < 0 || offset + length > samples.length) {
            throw new IndexOutOfBoundsException("samples[" + offset + ", " + (offset + length) + ") of " + samples.length);
        }
        append(samples, offset, length);
        long inputEnd = historyStart + historyLength;
        // Output n needs inputs j with n*down + halfLen - j*up >= 0, i.e. j <= (n*down + halfLen) / up.
        int count = 0;
        while (true) {
            long lastInput = Math.floorDiv(nextOutput * down + halfLen, up);
            if (lastInput >= inputEnd) {
                break;
            }
            if (count == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[count++] = (float) output(nextOutput);
            nextOutput++;
        }
        if (count > 0) {
            sink.onSamples(out, count, nextOutput - count);
        }
        trim();
        return count;
    }

    private double output(long n) {
        // y[n] = sum_j x[j] * h0[n*down + halfLen - j*up], over the j where the tap index is in [0, 2*halfLen].
        long center = n * down + halfLen;
        long jMax = Math.floorDiv(center, up);
        long jMin = Math.max(0, ceilDiv(center - 2L * halfLen, up));
        double acc = 0;
        for (long j = jMin; j <= jMax; j++) {
            acc += history[(int) (j - historyStart)] * taps[(int) (center - j * up)];
        }
        return acc;
    }

    private void append(float[] samples, int offset, int length) {
        if (historyLength + length > history.length) {
            history = Arrays.copyOf(history, Math.max(history.length * 2, historyLength + length));
        }
        System.arraycopy(samples, offset, history, historyLength, length);
        historyLength += length;
    }

    /** Drops the inputs no future output needs. */
    private void trim() {
        long firstNeeded = Math.max(0, ceilDiv(nextOutput * down + halfLen - 2L * halfLen, up));
        int drop = (int) Math.min(historyLength, Math.max(0, firstNeeded - historyStart));
        if (drop > 0) {
            System.arraycopy(history, drop, history, 0, historyLength - drop);
            historyLength -= drop;
            historyStart += drop;
        }
    }

    /** Forgets all input: the next sample pushed is input 0 again, preceded by zeros. */
    public void reset() {
        historyStart = 0;
        historyLength = 0;
        nextOutput = 0;
    }

    /** Outputs emitted since the last reset. */
    public long outputsEmitted() {
        return nextOutput;
    }

    /** The output index whose time is input sample {@code inputIndex} (rounded down). */
    public long outputIndexAt(long inputIndex) {
        return Math.floorDiv(inputIndex * up, down);
    }

    /** The input sample (rounded to the nearest) at the time of output {@code outputIndex}. */
    public long inputIndexAt(long outputIndex) {
        return Math.floorDiv(2 * outputIndex * down + up, 2L * up);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** scipy.signal.firwin(numTaps, cutoff, window=('kaiser', beta)) with Nyquist 1: a unit-DC-gain windowed sinc. */
    static double[] kaiserLowPass(int numTaps, double cutoff, double beta) {
        double[] h = new double[numTaps];
        double alpha = 0.5 * (numTaps - 1);
        double i0Beta = besselI0(beta);
        double sum = 0;
        for (int m = 0; m < numTaps; m++) {
            double x = m - alpha;
            double sinc = x == 0 ? 1.0 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
            double r = 2.0 * m / (numTaps - 1) - 1.0;
            double w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            h[m] = cutoff * sinc * w;
            sum += h[m];
        }
        for (int m = 0; m < numTaps; m++) {
            h[m] /= sum;
        }
        return h;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series (converges fast for the betas used). */
    static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return "PolyphaseResampler{up=" + up + ", down=" + down + ", taps=" + taps.length + "}";
    }
}
