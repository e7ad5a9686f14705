package io.audiosockets.dsp;

/**
 * A mel filter bank identical to librosa's {@code filters.mel(sr, n_fft, n_mels, fmin, fmax,
 * htk=False, norm='slaney')}: triangular filters on the Slaney mel scale (linear below 1 kHz,
 * logarithmic above), each scaled to unit area ({@code 2 / (f[m+2] - f[m])}).
 *
 * <p>Every step follows librosa's (and numpy's) order of operations, so {@link #weights()} equals
 * librosa's {@code dtype=np.float64} result to the last bit or so, and {@link #weightsFloat32()}
 * equals its default {@code dtype=np.float32} result, the basis that
 * {@code librosa.feature.melspectrogram} actually applies.
 *
 * <p>Immutable and thread-safe: the accessors return copies.
 */
public final class MelFilterBank {
    // Slaney's mel scale, exactly as librosa.core.convert.hz_to_mel / mel_to_hz define it.
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOGSTEP = Math.log(6.4) / 27.0;

    private final int sampleRate;
    private final int nFft;
    private final int nMels;
    private final double fMin;
    private final double fMax;
    private final double[][] weights;
    private final double[][] weightsF32;

    /**
     * Builds the filter bank.
     *
     * @param sampleRate sampling rate in Hz, &gt; 0
     * @param nFft FFT length, &gt; 0; the bank has {@code 1 + nFft / 2} columns (FFT bins)
     * @param nMels number of mel bands (rows), &gt; 0
     * @param fMin lowest frequency in Hz, &gt;= 0
     * @param fMax highest frequency in Hz, &gt; fMin
     * @throws IllegalArgumentException naming the parameter and value that is out of range
     */
    public MelFilterBank(int sampleRate, int nFft, int nMels, double fMin, double fMax) {
        Checks.positive("sampleRate", sampleRate);
        Checks.positive("nFft", nFft);
        Checks.positive("nMels", nMels);
        if (!(fMin >= 0) || Double.isInfinite(fMin)) {
            throw new IllegalArgumentException("fMin : " + fMin + " (expected: >= 0 and finite)");
        }
        if (!(fMax > fMin) || Double.isInfinite(fMax)) {
            throw new IllegalArgumentException("fMax : " + fMax + " (expected: > fMin = " + fMin + " and finite)");
        }
        this.sampleRate = sampleRate;
        this.nFft = nFft;
        this.nMels = nMels;
        this.fMin = fMin;
        this.fMax = fMax;
        this.weights = new double[nMels][];
        this.weightsF32 = new double[nMels][];
        build();
    }

    /** The bank librosa uses by default for {@code melspectrogram}: fMin 0, fMax = sampleRate / 2. */
    public static MelFilterBank of(int sampleRate, int nFft, int nMels) {
        return new MelFilterBank(sampleRate, nFft, nMels, 0.0, sampleRate / 2.0);
    }

    private void build() {
        int nBins = 1 + nFft / 2;
        double[] fftFreqs = fftFrequencies(sampleRate, nFft);
        double[] melF = melFrequencies(nMels + 2, fMin, fMax);
        double[] fdiff = new double[melF.length - 1];
        for (int i = 0; i < fdiff.length; i++) {
            fdiff[i] = melF[i + 1] - melF[i];
        }
        for (int m = 0; m < nMels; m++) {
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            double[] row = new double[nBins];
            double[] rowF32 = new double[nBins];
            for (int k = 0; k < nBins; k++) {
                double lower = -(melF[m] - fftFreqs[k]) / fdiff[m];
                double upper = (melF[m + 2] - fftFreqs[k]) / fdiff[m + 1];
                double w = Math.max(0.0, Math.min(lower, upper));
                row[k] = w * enorm;
                // librosa stores the triangle into a float32 array first, then scales it in place:
                // numpy computes float32 * float64 in double and rounds again, so round twice too.
                rowF32[k] = (float) ((float) w * enorm);
            }
            weights[m] = row;
            weightsF32[m] = rowF32;
        }
    }

    /** {@code np.fft.rfftfreq(n=nFft, d=1.0/sr)}, with numpy's own arithmetic. */
    static double[] fftFrequencies(int sampleRate, int nFft) {
        double d = 1.0 / sampleRate;
        double val = 1.0 / (nFft * d);
        double[] f = new double[1 + nFft / 2];
        for (int k = 0; k < f.length; k++) {
            f[k] = k * val;
        }
        return f;
    }

    /** {@code librosa.mel_frequencies(n, fmin, fmax, htk=False)}: {@code n} points evenly spaced in mel. */
    static double[] melFrequencies(int n, double fMin, double fMax) {
        double minMel = hzToMel(fMin);
        double maxMel = hzToMel(fMax);
        double[] hz = new double[n];
        // np.linspace: i * step + start, and the last point set to stop exactly.
        double step = (maxMel - minMel) / (n - 1);
        for (int i = 0; i < n; i++) {
            double mel = i == n - 1 ? maxMel : i * step + minMel;
            hz[i] = melToHz(mel);
        }
        return hz;
    }

    /**
     * Converts a frequency in Hz to Slaney mels ({@code librosa.hz_to_mel(f, htk=False)}).
     *
     * @param hz frequency in Hz
     * @return the mel value: {@code 3 hz / 200} below 1 kHz, logarithmic above
     */
    public static double hzToMel(double hz) {
        double mel = hz / F_SP;
        if (hz >= MIN_LOG_HZ) {
            mel = MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP;
        }
        return mel;
    }

    /**
     * Converts Slaney mels to Hz ({@code librosa.mel_to_hz(m, htk=False)}), the inverse of {@link #hzToMel}.
     *
     * @param mel the mel value
     * @return the frequency in Hz
     */
    public static double melToHz(double mel) {
        if (mel >= MIN_LOG_MEL) {
            return MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
        }
        return F_SP * mel;
    }

    /** The weights in double, {@code [nMels][1 + nFft/2]}: librosa with {@code dtype=np.float64}. A copy. */
    public double[][] weights() {
        return deepCopy(weights);
    }

    /**
     * The weights rounded to float32 and held in double, {@code [nMels][1 + nFft/2]}: librosa's
     * default {@code dtype=np.float32}, the basis {@code melspectrogram} applies. A copy.
     */
    public double[][] weightsFloat32() {
        return deepCopy(weightsF32);
    }

    /** Rows without copying, for {@link LogMelSpectrogram}, which never writes them. */
    double[][] weightsFloat32Shared() {
        return weightsF32;
    }

    /** The sampling rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** The FFT length the bins refer to. */
    public int nFft() {
        return nFft;
    }

    /** The number of mel bands (rows). */
    public int nMels() {
        return nMels;
    }

    /** The number of FFT bins (columns): {@code 1 + nFft / 2}. */
    public int nBins() {
        return 1 + nFft / 2;
    }

    /** The lowest frequency in Hz. */
    public double fMin() {
        return fMin;
    }

    /** The highest frequency in Hz. */
    public double fMax() {
        return fMax;
    }

    /**
     * The number of bands whose filter holds no FFT bin (an all-zero row). librosa warns
     * "Empty filters detected" for these; their log-mel output is {@code log(eps)}.
     */
    public int emptyFilters() {
        int n = 0;
        for (double[] row : weights) {
            boolean empty = true;
            for (double w : row) {
                if (w != 0) {
                    empty = false;
                    break;
                }
            }
            n += empty ? 1 : 0;
        }
        return n;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public String toString() {
        return "MelFilterBank{sr=" + sampleRate + ", nFft=" + nFft + ", nMels=" + nMels + ", fMin=" + fMin + ", fMax=" + fMax + "}";
    }
}
