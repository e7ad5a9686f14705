package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class MelFilterBankTest {
    private static final Logger log = LoggerFactory.getLogger(MelFilterBankTest.class);

    @Test
    void matchesLibrosaFloat64AndFloat32FilterBanks() {
        for (JsonNode fb : RefData.manifest().get("melfb")) {
            int sr = fb.get("sr").asInt();
            int nFft = fb.get("n_fft").asInt();
            int nMels = fb.get("n_mels").asInt();
            MelFilterBank bank = new MelFilterBank(sr, nFft, nMels, fb.get("fmin").asDouble(), fb.get("fmax").asDouble());
            int cols = 1 + nFft / 2;
            double[][] ref64 = RefData.matrix(fb.get("file").asText(), nMels, cols);
            double[][] ref32 = RefData.matrix(fb.get("file_float32_default").asText(), nMels, cols);

            double d64 = RefData.maxAbsDiff(bank.weights(), ref64);
            double d32 = RefData.maxAbsDiff(bank.weightsFloat32(), ref32);
            log.info("parity melfb {}: max |diff| float64 {} , float32 {}", fb.get("file").asText(), d64, d32);

            // Same operations in the same order as librosa: equal to within a couple of ulps.
            assertThat(d64).isLessThanOrEqualTo(1e-15);
            // float32 rounding of nearly identical doubles: identical, bar a value on a rounding edge.
            assertThat(d32).isLessThanOrEqualTo(1e-12);
            assertThat(bank.emptyFilters()).isEqualTo(fb.get("n_empty_filters").asInt());
        }
    }

    @Test
    void slaneyScaleIsLinearBelow1kHzAndInvertible() {
        assertThat(MelFilterBank.hzToMel(0)).isZero();
        // 1000 / (200 / 3) is 14.999999999999998 in double, in numpy as here.
        assertThat(MelFilterBank.hzToMel(1000)).isCloseTo(15.0, org.assertj.core.data.Offset.offset(1e-14));
        assertThat(MelFilterBank.hzToMel(500)).isCloseTo(7.5, org.assertj.core.data.Offset.offset(1e-14));
        for (double hz : new double[] {0, 1, 440, 999.9, 1000, 1234.5, 8000, 22050}) {
            assertThat(MelFilterBank.melToHz(MelFilterBank.hzToMel(hz))).isCloseTo(hz, org.assertj.core.data.Offset.offset(1e-9 * (1 + hz)));
        }
    }

    @Test
    void eachFilterHasUnitAreaInHz() {
        // norm='slaney' scales each triangle to 2 / (f[m+2] - f[m]): its area over Hz is 1.
        MelFilterBank bank = MelFilterBank.of(16000, 4096, 40);
        double binHz = 16000.0 / 4096;
        for (double[] row : bank.weights()) {
            double area = 0;
            for (double w : row) {
                area += w * binHz;
            }
            assertThat(area).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void smallFftLeavesEmptyFiltersAsLibrosaWarns() {
        assertThat(MelFilterBank.of(16000, 64, 128).emptyFilters()).isPositive();
        assertThat(MelFilterBank.of(16000, 400, 128).emptyFilters()).isZero();
    }

    @Test
    void rejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> new MelFilterBank(0, 400, 128, 0, 8000)).hasMessage("sampleRate : 0 (expected: > 0)");
        assertThatThrownBy(() -> new MelFilterBank(16000, 0, 128, 0, 8000)).hasMessage("nFft : 0 (expected: > 0)");
        assertThatThrownBy(() -> new MelFilterBank(16000, 400, -1, 0, 8000)).hasMessage("nMels : -1 (expected: > 0)");
        assertThatThrownBy(() -> new MelFilterBank(16000, 400, 128, -5, 8000)).hasMessage("fMin : -5.0 (expected: >= 0 and finite)");
        assertThatThrownBy(() -> new MelFilterBank(16000, 400, 128, 100, 100))
                .hasMessage("fMax : 100.0 (expected: > fMin = 100.0 and finite)");
    }
}
