package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The streaming resampler against scipy.signal.resample_poly (src/test/reference/make_resample_reference.py). */
class PolyphaseResamplerTest {
    @ParameterizedTest(name = "{0} -> {1} Hz in chunks of {2}")
    @CsvSource({"48000,16000,960", "48000,16000,1", "44100,16000,441", "44100,16000,4096", "22050,16000,333", "8000,16000,160",
            "32000,8000,640"})
    void equalsScipyResamplePolyWhateverTheChunking(int in, int out, int chunk) {
        float[] x = TestData.f32("resample/" + in + "_" + out + ".in.f32");
        float[] expected = TestData.f32("resample/" + in + "_" + out + ".out.f32");
        PolyphaseResampler r = new PolyphaseResampler(in, out);
        float[] got = new float[expected.length + 64];
        int[] n = {0};
        for (int at = 0; at < x.length; at += chunk) {
            r.push(x, at, Math.min(chunk, x.length - at), (s, len, first) -> {
                assertThat(first).isEqualTo(n[0]);
                System.arraycopy(s, 0, got, n[0], len);
                n[0] += len;
            });
        }
        // Outputs wait for the input their filter reaches: all but the last ~10 * max(up, down) / down are out.
        int missing = expected.length - n[0];
        assertThat(missing).isBetween(1, 10 * Math.max(r.up(), r.down()) / r.down() + 2);
        double maxDelta = 0;
        for (int i = 0; i < n[0]; i++) {
            maxDelta = Math.max(maxDelta, Math.abs(got[i] - expected[i]));
        }
        assertThat(maxDelta).as("max |ours - scipy| over %d outputs", n[0]).isLessThan(1e-5);
        assertThat(Arrays.copyOf(got, n[0])).isNotEqualTo(new float[n[0]]);
    }
}
