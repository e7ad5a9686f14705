package io.audiosockets.dsp;

import java.util.Objects;
import org.jtransforms.fft.DoubleFFT_1D;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's {@code LogMelSpectrogram(fs, n_mels=128, win_dur=0.025, hop_dur=0.010, eps=1e-8)}:
 * a log-mel spectrogram equal to
 *
 * <pre>{@code
 * np.log(librosa.feature.melspectrogram(y=x, sr=fs, n_fft=win, hop_length=hop,
 *                                       n_mels=n_mels, fmin=0, fmax=fs/2) + eps)
 * }</pre>
 *
 * with {@code win = round(fs * win_dur)} and {@code hop = round(fs * hop_dur)} rounded half to
 * even as Python's {@code round} does (44100 Hz gives a 1102-sample window, not 1103). As in
 * librosa: frames are centred (the signal is padded with {@code n_fft / 2} zeros on each side),
 * the window is a periodic Hann window of {@code n_fft = win} samples, the spectrum is the power
 * {@code |rfft|^2}, and the mel basis is {@link MelFilterBank} rounded to float32, the basis
 * librosa applies by default. Arithmetic is in double.
 *
 * <p>Not thread-safe: an instance keeps its FFT work arrays so that computing a frame allocates
 * nothing, so each processor thread owns its own instance.
 */
public final class LogMelSpectrogram {
    private static final Logger log = LoggerFactory.getLogger(LogMelSpectrogram.class);

    /** Default number of mel bands. */
    public static final int DEFAULT_N_MELS = 128;
    /** Default window duration in seconds. */
    public static final double DEFAULT_WIN_DUR = 0.025;
    /** Default hop duration in seconds. */
    public static final double DEFAULT_HOP_DUR = 0.010;
    /** Default floor added before the logarithm. */
    public static final double DEFAULT_EPS = 1e-8;

    private final int sampleRate;
    private final int nMels;
    private final double winDur;
    private final double hopDur;
    private final double eps;
    private final int winLength;
    private final int hopLength;
    private final int nFft;
    private final MelFilterBank filterBank;
    private final double[] window;
    private final double[][] basis;
    // Each triangle touches only a few bins: projecting over [firstBin, lastBin] alone skips the zeros.
    private final int[] firstBin;
    private final int[] lastBin;
    private final DoubleFFT_1D fft;
    private final double[] work;
    private final double[] power;
    private final double[] mel;

    /**
     * A log-mel spectrogram with the paper's defaults: 128 mel bands, 25 ms window, 10 ms hop, eps 1e-8.
     *
     * @param sampleRate sampling rate in Hz, &gt; 0
     * @throws IllegalArgumentException naming the parameter and value that is out of range
     */
    public LogMelSpectrogram(int sampleRate) {
        this(sampleRate, DEFAULT_N_MELS, DEFAULT_WIN_DUR, DEFAULT_HOP_DUR, DEFAULT_EPS);
    }

    /**
     * A log-mel spectrogram with every parameter given.
     *
     * @param sampleRate sampling rate in Hz, &gt; 0
     * @param nMels number of mel bands, &gt; 0
     * @param winDur window (and FFT) duration in seconds; {@code rint(sampleRate * winDur)} must be &gt; 0
     * @param hopDur hop duration in seconds; {@code rint(sampleRate * hopDur)} must be &gt; 0
     * @param eps floor added to the mel power before the logarithm, &gt; 0 (so silence is finite)
     * @throws IllegalArgumentException naming the parameter and value that is out of range
     */
    public LogMelSpectrogram(int sampleRate, int nMels, double winDur, double hopDur, double eps) {
        this.sampleRate = Checks.positive("sampleRate", sampleRate);
        this.nMels = Checks.positive("nMels", nMels);
        this.winDur = Checks.positiveFinite("winDur", winDur);
        this.hopDur = Checks.positiveFinite("hopDur", hopDur);
        this.eps = Checks.positiveFinite("eps", eps);
        this.winLength = samplesOf("winLength", sampleRate, winDur);
        this.hopLength = samplesOf("hopLength", sampleRate, hopDur);
        this.nFft = winLength;
        this.filterBank = MelFilterBank.of(sampleRate, nFft, nMels);
        this.basis = filterBank.weightsFloat32Shared();
        this.firstBin = new int[nMels];
        this.lastBin = new int[nMels];
        for (int m = 0; m < nMels; m++) {
            int lo = 0;
            int hi = basis[m].length - 1;
            while (lo <= hi && basis[m][lo] == 0) {
                lo++;
            }
            while (hi >= lo && basis[m][hi] == 0) {
                hi--;
            }
            firstBin[m] = lo;
            lastBin[m] = hi;
        }
        int empty = filterBank.emptyFilters();
        if (empty > 0) {
            // librosa warns too; these bands output log(eps). DEBUG because processors may build one per chunk.
            log.debug("{} of {} mel filters hold no FFT bin (sr {}, n_fft {}): those bands output log(eps)",
                    empty, nMels, sampleRate, nFft);
        }
        this.window = periodicHann(nFft);
        this.fft = new DoubleFFT_1D(nFft);
        this.work = new double[nFft];
        this.power = new double[1 + nFft / 2];
        this.mel = new double[nMels];
    }

    /**
     * Samples for a duration as librosa's callers compute them: Python's {@code round(fs * dur)},
     * which rounds half to even, as {@link Math#rint} does.
     */
    private static int samplesOf(String name, int sampleRate, double seconds) {
        double n = Math.rint(sampleRate * seconds);
        if (!(n >= 1) || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " : " + (long) n + " (expected: > 0 and <= " + Integer.MAX_VALUE
                    + "; rint(sampleRate * duration) with sampleRate = " + sampleRate + ", duration = " + seconds + ")");
        }
        return (int) n;
    }

    /**
     * scipy's {@code get_window('hann', n, fftbins=True)}: the symmetric window of n + 1 points,
     * computed as scipy's general_cosine does, less its last point.
     */
    static double[] periodicHann(int n) {
        double[] w = new double[n];
        double step = (Math.PI - (-Math.PI)) / n;
        for (int i = 0; i < n; i++) {
            double fac = i * step + (-Math.PI);
            w[i] = 0.5 + 0.5 * Math.cos(fac);
        }
        return w;
    }

    /**
     * The number of frames {@link #compute(float[])} returns for {@code nSamples} samples:
     * {@code 1 + (nSamples + 2 * (nFft / 2) - nFft) / hop}, which is {@code 1 + nSamples / hop}
     * for an even FFT length.
     *
     * @param nSamples signal length, &gt; 0
     */
    public int frames(int nSamples) {
        Checks.positive("nSamples", nSamples);
        return 1 + (nSamples + 2 * (nFft / 2) - nFft) / hopLength;
    }

    /**
     * The log-mel spectrogram of a mono signal sampled at {@link #sampleRate()}. For several
     * channels, mix them first ({@link Downmix#toMono(float[], int)}) or pass one channel.
     *
     * @param mono the samples, at least one
     * @return {@code [nMels][frames(mono.length)]}: element {@code [m][t]} is band m (0 = lowest) of frame t
     * @throws IllegalArgumentException if {@code mono} is empty
     */
    public double[][] compute(float[] mono) {
        Objects.requireNonNull(mono, "mono == null");
        return compute(mono, 0, mono.length);
    }

    /**
     * The log-mel spectrogram of {@code length} samples of {@code mono} from {@code offset}.
     *
     * @return {@code [nMels][frames(length)]}
     * @throws IllegalArgumentException if {@code length} is 0
     * @throws IndexOutOfBoundsException if the range is not within {@code mono}
     */
    public double[][] compute(float[] mono, int offset, int length) {
        Objects.requireNonNull(mono, "mono == null");
        Checks.range("mono", offset, length, mono.length);
        int nFrames = frames(length);
        double[][] out = new double[nMels][nFrames];
        int pad = nFft / 2;
        for (int t = 0; t < nFrames; t++) {
            int start = t * hopLength - pad;
            for (int i = 0; i < nFft; i++) {
                int at = start + i;
                // Zeros outside the signal: librosa's centring with pad_mode='constant'.
                double x = at >= 0 && at < length ? mono[offset + at] : 0.0;
                work[i] = x * window[i];
            }
            transformAndProject();
            for (int m = 0; m < nMels; m++) {
                out[m][t] = Math.log(mel[m] + eps);
            }
        }
        return out;
    }

    /**
     * One frame's log-mel column from {@code nFft} samples that are already in place (the caller
     * did any centring or padding): window, power spectrum, mel projection, {@code log(. + eps)}.
     * Allocates nothing.
     *
     * @param samples holds the frame at {@code [offset, offset + nFft())}
     * @param offset index of the frame's first sample
     * @param out receives the {@code nMels} log-mel values, lowest band first
     * @throws IndexOutOfBoundsException if the frame or {@code out} is too short
     */
    public void computeFrame(float[] samples, int offset, double[] out) {
        Checks.range("samples", offset, nFft, samples.length);
        if (out.length < nMels) {
            throw new IndexOutOfBoundsException("out.length : " + out.length + " (expected: >= nMels = " + nMels + ")");
        }
        for (int i = 0; i < nFft; i++) {
            work[i] = samples[offset + i] * window[i];
        }
        transformAndProject();
        for (int m = 0; m < nMels; m++) {
            out[m] = Math.log(mel[m] + eps);
        }
    }

    /** FFTs {@code work} in place and leaves the mel powers in {@code mel}. Allocates nothing. */
    private void transformAndProject() {
        fft.realForward(work);
        int nBins = power.length;
        // JTransforms' packing: a[2k] = Re[k], a[2k+1] = Im[k]; a[1] holds Re[n/2] when n is even,
        // Im[(n-1)/2] when n is odd; bin 0 has no imaginary part.
        power[0] = work[0] * work[0];
        for (int k = 1; k < nBins - 1; k++) {
            double re = work[2 * k];
            double im = work[2 * k + 1];
            power[k] = re * re + im * im;
        }
        if (nBins > 1) {
            if (nFft % 2 == 0) {
                power[nBins - 1] = work[1] * work[1];
            } else {
                double re = work[nFft - 1];
                double im = work[1];
                power[nBins - 1] = re * re + im * im;
            }
        }
        for (int m = 0; m < nMels; m++) {
            double[] row = basis[m];
            double sum = 0;
            for (int k = firstBin[m], hi = lastBin[m]; k <= hi; k++) {
                sum += row[k] * power[k];
            }
            mel[m] = sum;
        }
    }

    /** The sampling rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** The number of mel bands. */
    public int nMels() {
        return nMels;
    }

    /** The window duration in seconds, as given. */
    public double winDur() {
        return winDur;
    }

    /** The hop duration in seconds, as given. */
    public double hopDur() {
        return hopDur;
    }

    /** The floor added before the logarithm. */
    public double eps() {
        return eps;
    }

    /** The window length in samples: {@code rint(sampleRate * winDur)}. */
    public int winLength() {
        return winLength;
    }

    /** The hop in samples: {@code rint(sampleRate * hopDur)}. */
    public int hopLength() {
        return hopLength;
    }

    /** The FFT length: equal to {@link #winLength()}, as in the paper's call. */
    public int nFft() {
        return nFft;
    }

    /** The filter bank (its float32-rounded weights are the ones applied). */
    public MelFilterBank filterBank() {
        return filterBank;
    }

    @Override
    public String toString() {
        return "LogMelSpectrogram{sr=" + sampleRate + ", nMels=" + nMels + ", win=" + winLength + ", hop=" + hopLength
                + ", eps=" + eps + "}";
    }
}
