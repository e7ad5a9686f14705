package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LevelMeterTest {

    @Test
    void fullScaleSineReadsMinus3RmsAnd0Peak() {
        int n = 16000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // 1 kHz at 16 kHz: the peak sample (i = 4) is exactly sin(pi/2) = 1.
            x[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 16000.0);
        }
        LevelMeter.Level l = LevelMeter.measure(x, 1);
        assertThat(l.channels()).isEqualTo(1);
        assertThat(l.rmsDbfs()[0]).isCloseTo(-3.0103, within(1e-3));
        assertThat(l.peakDbfs()[0]).isCloseTo(0.0, within(1e-6));
        assertThat(l.mixRmsDbfs()).isEqualTo(l.rmsDbfs()[0]);
    }

    @Test
    void silenceReadsTheFloorNeverInfinity() {
        LevelMeter.Level l = LevelMeter.measure(new float[640], 2);
        assertThat(l.rmsDbfs()).containsExactly(-120.0, -120.0);
        assertThat(l.peakDbfs()).containsExactly(-120.0, -120.0);
        assertThat(l.mixRmsDbfs()).isEqualTo(-120.0);
        assertThat(LevelMeter.measure(new float[0], 1).rmsDbfs()).containsExactly(LevelMeter.FLOOR_DBFS);
        assertThat(LevelMeter.dbfs(0)).isEqualTo(-120.0);
        assertThat(LevelMeter.dbfs(Double.NaN)).isEqualTo(-120.0);
        assertThat(LevelMeter.dbfs(1e-9)).isEqualTo(-120.0);
    }

    @Test
    void channelsAreMeasuredSeparately() {
        // Left: constant 0.5 (-6.02 dB), right: one sample of -0.25 among zeros.
        int frames = 100;
        float[] inter = new float[2 * frames];
        for (int i = 0; i < frames; i++) {
            inter[2 * i] = 0.5f;
        }
        inter[2 * 10 + 1] = -0.25f;
        LevelMeter.Level l = LevelMeter.measure(inter, 2);
        double left = 0.5;
        double right = 0.25;
        assertThat(l.rmsDbfs()[0]).isCloseTo(20 * Math.log10(left), within(1e-9));
        assertThat(l.peakDbfs()[0]).isCloseTo(20 * Math.log10(left), within(1e-9));
        assertThat(l.rmsDbfs()[1]).isCloseTo(20 * Math.log10(Math.sqrt(right * right / frames)), within(1e-9));
        assertThat(l.peakDbfs()[1]).isCloseTo(20 * Math.log10(right), within(1e-9));
        assertThat(l.mixPeakDbfs()).isEqualTo(l.peakDbfs()[0]);
        assertThat(l.mixRmsDbfs()).isCloseTo(10 * Math.log10((left * left * frames + right * right) / (2.0 * frames)), within(1e-9));
        // The same frames in the middle of a larger buffer, whose other samples are loud: only the range counts.
        float[] buffer = new float[inter.length + 6];
        Arrays.fill(buffer, 1f);
        System.arraycopy(inter, 0, buffer, 4, inter.length);
        assertThat(LevelMeter.measure(buffer, 4, inter.length, 2)).isEqualTo(l);
    }

    @Test
    void samplesThatAreNotWholeFramesAreRefusedNamingTheCount() {
        assertThatThrownBy(() -> LevelMeter.measure(new float[5], 2))
                .hasMessage("interleaved.length : 5 (expected: a multiple of channels = 2)");
        assertThatThrownBy(() -> LevelMeter.measure(new float[4], 0)).hasMessage("channels : 0 (expected: > 0)");
        assertThatThrownBy(() -> LevelMeter.measure(new float[4], 2, 4, 2))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("interleaved : offset 2, length 4 (expected: within an array of 4)");
    }
}
