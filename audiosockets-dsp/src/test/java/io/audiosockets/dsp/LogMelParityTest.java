package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every case of shared/testdata/logmel/manifest.json, every element, against real librosa. */
class LogMelParityTest {
    private static final Logger log = LoggerFactory.getLogger(LogMelParityTest.class);

    static Stream<String> cases() {
        List<JsonNode> entries = RefData.entries();
        assertThat(entries).as("manifest entries").isNotEmpty();
        return entries.stream().map(e -> e.get("name").asText());
    }

    @Test
    void everyManifestCaseIsCovered() {
        assertThat(cases().toList()).containsExactlyInAnyOrder(
                "sine440_16k", "noise_16k", "chirp_16k", "twotone_44k", "sine1k_320_16k", "speech_16k");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesLibrosa(String name) {
        JsonNode e = RefData.entry(name);
        int fs = e.get("fs").asInt();
        float[] x = RefData.f32(e.get("input_file").asText());
        assertThat(x).hasSize(e.get("n_samples").asInt());

        LogMelSpectrogram lms = new LogMelSpectrogram(fs, e.get("n_mels").asInt(), 0.025, 0.010, e.get("eps").asDouble());
        assertThat(lms.winLength()).as("win_length").isEqualTo(e.get("win_length").asInt());
        assertThat(lms.hopLength()).as("hop_length").isEqualTo(e.get("hop_length").asInt());
        assertThat(lms.nFft()).as("n_fft").isEqualTo(e.get("n_fft").asInt());

        int nMels = e.get("shape").get(0).asInt();
        int nFrames = e.get("shape").get(1).asInt();
        assertThat(lms.frames(x.length)).isEqualTo(nFrames);
        double[][] out = lms.compute(x);
        assertThat(out.length).isEqualTo(nMels);
        assertThat(out[0].length).isEqualTo(nFrames);

        double[][] ref = RefData.matrix(e.get("output_file").asText(), nMels, nFrames);
        double[][] refF32 = RefData.matrix(e.get("output_file_f32_input").asText(), nMels, nFrames);
        double d = RefData.maxAbsDiff(out, ref);
        double dF32 = RefData.maxAbsDiff(out, refF32);
        log.info("parity {}: {} x {}, max |diff| vs logmel.f64 {} , vs logmel_f32in.f64 {}", name, nMels, nFrames, d, dF32);

        assertThat(d).as("max |diff| vs %s", e.get("output_file").asText()).isLessThanOrEqualTo(1e-9);
        assertThat(dF32).as("max |diff| vs %s", e.get("output_file_f32_input").asText()).isLessThanOrEqualTo(5e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRangeOfALargerBufferGivesTheSameResult(String name) {
        JsonNode e = RefData.entry(name);
        int fs = e.get("fs").asInt();
        float[] x = RefData.f32(e.get("input_file").asText());
        LogMelSpectrogram lms = new LogMelSpectrogram(fs);
        // Loud samples either side of the range: librosa's centring pads with zeros, never with them.
        float[] buffer = new float[x.length + 1000];
        java.util.Arrays.fill(buffer, 0.9f);
        System.arraycopy(x, 0, buffer, 400, x.length);
        assertThat(lms.compute(buffer, 400, x.length)).isDeepEqualTo(lms.compute(x));
    }
}
