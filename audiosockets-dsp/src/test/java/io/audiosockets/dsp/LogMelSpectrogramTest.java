package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogMelSpectrogramTest {

    @Test
    void windowAndHopRoundHalfToEvenAsPython() {
        LogMelSpectrogram l44 = new LogMelSpectrogram(44100);
        assertThat(l44.winLength()).isEqualTo(1102); // 1102.5 -> 1102, where Math.round would give 1103
        assertThat(l44.hopLength()).isEqualTo(441);
        assertThat(l44.nFft()).isEqualTo(1102);
        LogMelSpectrogram l16 = new LogMelSpectrogram(16000);
        assertThat(l16.winLength()).isEqualTo(400);
        assertThat(l16.hopLength()).isEqualTo(160);
        assertThat(l16.nMels()).isEqualTo(128);
        assertThat(l16.eps()).isEqualTo(1e-8);
        // 22050 * 0.025 = 551.25, 22050 * 0.01 = 220.5 -> 220 (even)
        LogMelSpectrogram l22 = new LogMelSpectrogram(22050);
        assertThat(l22.winLength()).isEqualTo(551);
        assertThat(l22.hopLength()).isEqualTo(220);
    }

    @Test
    void framesAreOnePlusLengthOverHop() {
        LogMelSpectrogram l = new LogMelSpectrogram(16000);
        assertThat(l.frames(16000)).isEqualTo(101);
        assertThat(l.frames(320)).isEqualTo(3);
        assertThat(l.frames(1)).isEqualTo(1);
        assertThat(l.compute(new float[159])[0]).hasSize(1);
        assertThat(l.compute(new float[160])[0]).hasSize(2);
    }

    @Test
    void silenceGivesLogEps() {
        double[][] out = new LogMelSpectrogram(16000).compute(new float[1600]);
        for (double[] row : out) {
            for (double v : row) {
                assertThat(v).isCloseTo(Math.log(1e-8), within(4e-15));
            }
        }
    }

    @Test
    void oddAndEvenFftLengthsMatchADirectDft() {
        // rint(1000 * 0.025) = 25 (odd) and rint(1200 * 0.025) = 30 (even): both JTransforms packings.
        for (int fs : new int[] {1000, 1200}) {
            LogMelSpectrogram l = new LogMelSpectrogram(fs, 8, 0.025, 0.010, 1e-8);
            float[] x = new float[200];
            Random r = new Random(fs);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            double[][] got = l.compute(x);
            double[][] want = directLogMel(l, x);
            assertThat(RefData.maxAbsDiff(got, want)).as("fs %d, n_fft %d", fs, l.nFft()).isLessThan(1e-9);
        }
    }

    /** The definition, term by term: centred zero-padded frames, periodic Hann, |DFT|^2, float32 mel basis. */
    private static double[][] directLogMel(LogMelSpectrogram l, float[] x) {
        int n = l.nFft();
        int hop = l.hopLength();
        double[][] basis = l.filterBank().weightsFloat32();
        int frames = 1 + (x.length + 2 * (n / 2) - n) / hop;
        double[][] out = new double[l.nMels()][frames];
        for (int t = 0; t < frames; t++) {
            double[] p = new double[1 + n / 2];
            for (int k = 0; k < p.length; k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < n; i++) {
                    int at = t * hop - n / 2 + i;
                    double s = at >= 0 && at < x.length ? x[at] : 0;
                    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
                    re += s * w * Math.cos(2 * Math.PI * k * i / n);
                    im -= s * w * Math.sin(2 * Math.PI * k * i / n);
                }
                p[k] = re * re + im * im;
            }
            for (int m = 0; m < l.nMels(); m++) {
                double sum = 0;
                for (int k = 0; k < p.length; k++) {
                    sum += basis[m][k] * p[k];
                }
                out[m][t] = Math.log(sum + l.eps());
            }
        }
        return out;
    }

    @Test
    void computeFrameEqualsTheBatchColumn() {
        float[] x = RefData.f32("speech_16k.f32");
        LogMelSpectrogram l = new LogMelSpectrogram(16000);
        double[][] batch = l.compute(x);
        double[] col = new double[128];
        // Frame 10 starts at 10 * 160 - 200 = 1400, inside the signal.
        l.computeFrame(x, 1400, col);
        for (int m = 0; m < 128; m++) {
            assertThat(col[m]).isEqualTo(batch[m][10]);
        }
    }

    @Test
    void stereoMixedByDownmixIsTheSpectrogramOfTheMean() {
        int n = 3200;
        float[] left = new float[n];
        float[] right = new float[n];
        float[] inter = new float[2 * n];
        float[] mean = new float[n];
        for (int i = 0; i < n; i++) {
            left[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            right[i] = (float) (0.25 * Math.sin(2 * Math.PI * 3000 * i / 16000.0));
            inter[2 * i] = left[i];
            inter[2 * i + 1] = right[i];
            mean[i] = (float) ((left[i] + (double) right[i]) / 2);
        }
        LogMelSpectrogram l = new LogMelSpectrogram(16000);
        assertThat(l.compute(Downmix.toMono(inter, 2))).isDeepEqualTo(l.compute(mean));
    }

    @Test
    void computeFrameAllocatesNothingBeyondTheFftLibrary() {
        // JTransforms' mixed-radix real FFT (any length that is not a power of two, such as 400)
        // allocates one n-double scratch array per call: measure that alone, and prove the rest of
        // the frame (windowing, power, mel projection, log) adds nothing.
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        LogMelSpectrogram l = new LogMelSpectrogram(16000);
        float[] x = RefData.f32("sine440_16k.f32");
        double[] col = new double[128];
        org.jtransforms.fft.DoubleFFT_1D fft = new org.jtransforms.fft.DoubleFFT_1D(400);
        double[] a = new double[400];
        for (int i = 0; i < 3000; i++) {
            l.computeFrame(x, (i * 160) % 15000, col);
            fft.realForward(a);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            fft.realForward(a);
        }
        long fftOnly = mx.getThreadAllocatedBytes(tid) - before;
        before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            l.computeFrame(x, (i * 160) % 15000, col);
        }
        long frames = mx.getThreadAllocatedBytes(tid) - before;
        org.slf4j.LoggerFactory.getLogger(LogMelSpectrogramTest.class).info(
                "1000 frames allocate {} bytes; JTransforms realForward(400) alone allocates {} bytes", frames, fftOnly);
        // A single array of our own per frame would add more than 1 MB here.
        assertThat(frames - fftOnly).as("bytes allocated by 1000 frames beyond JTransforms' own").isLessThan(4096);
    }

    @Test
    void rejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> new LogMelSpectrogram(0)).hasMessage("sampleRate : 0 (expected: > 0)");
        assertThatThrownBy(() -> new LogMelSpectrogram(16000, 0, 0.025, 0.01, 1e-8)).hasMessage("nMels : 0 (expected: > 0)");
        assertThatThrownBy(() -> new LogMelSpectrogram(16000, 128, -0.025, 0.01, 1e-8))
                .hasMessage("winDur : -0.025 (expected: > 0 and finite)");
        assertThatThrownBy(() -> new LogMelSpectrogram(16000, 128, 0.025, Double.NaN, 1e-8))
                .hasMessage("hopDur : NaN (expected: > 0 and finite)");
        assertThatThrownBy(() -> new LogMelSpectrogram(16000, 128, 0.025, 0.01, 0)).hasMessage("eps : 0.0 (expected: > 0 and finite)");
        assertThatThrownBy(() -> new LogMelSpectrogram(16000, 128, 0.025, 0.00001, 1e-8))
                .hasMessageStartingWith("hopLength : 0 (expected: > 0");
        assertThatThrownBy(() -> new LogMelSpectrogram(16000).compute(new float[0])).hasMessage("nSamples : 0 (expected: > 0)");
    }
}
