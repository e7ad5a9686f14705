package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing or corrupt model, a model whose inputs do not match, an unsupported rate: each error names the problem. */
class ModelBadInputTest {
    @TempDir
    Path dir;

    @Test
    void aMissingModelFileIsNamed() {
        Path missing = dir.resolve("nowhere.onnx");
        assertThatThrownBy(() -> SileroVad.load(missing, OnnxModel.Device.CPU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model file " + missing + ": not found (give the path of an existing .onnx file)");
    }

    @Test
    void aCorruptModelFileIsNamed() throws Exception {
        byte[] silero = TestData.resource(SileroVad.RESOURCE.startsWith("/") ? SileroVad.RESOURCE : "/io/audiosockets/ml/" + SileroVad.RESOURCE);
        Path truncated = Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(silero, silero.length / 2));
        assertThatThrownBy(() -> SileroVad.load(truncated, OnnxModel.Device.CPU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model file " + truncated + ": not a valid ONNX model (ONNX Runtime says: ");
        Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model at all");
        assertThatThrownBy(() -> SileroVad.load(text, OnnxModel.Device.CPU))
                .hasMessageStartingWith("model file " + text + ": not a valid ONNX model");
    }

    @Test
    void aModelWithOtherInputsIsRefusedNamingThem() throws Exception {
        Path abs = TestData.resourceFile("abs.onnx", dir);
        assertThatThrownBy(() -> SileroVad.load(abs, OnnxModel.Device.CPU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model file " + abs + ": has no input 'state' (its inputs: input ")
                .hasMessageContaining("a Silero VAD v5 model has inputs input [batch, samples], state [2, batch, 128], sr int64");
        ModelSpec wrongName = ModelSpec.builder(abs).samples("audio", 512).output("output").build();
        assertThatThrownBy(wrongName::load).hasMessageStartingWith("model file " + abs + ": has no input 'audio' (its inputs: input ");
        ModelSpec wrongOutput = ModelSpec.builder(abs).samples("input", 512).output("logits").build();
        assertThatThrownBy(wrongOutput::load).hasMessageStartingWith("model file " + abs + ": has no output 'logits' (its outputs: output ");
        ModelSpec logMel = ModelSpec.builder(abs).logMel("input", 16000, 64).output("output").build();
        assertThatThrownBy(logMel::load).hasMessageContaining("input 'input' is ").hasMessageContaining("expected a FLOAT tensor of rank 3");
    }

    @Test
    void unsupportedRatesAreRefused() {
        try (OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU)) {
            assertThatThrownBy(() -> new SileroVad(model, "phone", 4000, SileroVad.Config.DEFAULT, e -> { }, () -> 0L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("stream 'phone': sample rate 4000 Hz is not supported by the Silero VAD");
            assertThatThrownBy(() -> SileroVad.spec("built-in model", 44100, SileroVad.Config.DEFAULT))
                    .hasMessage("built-in model: sample rate 44100 Hz is not supported by Silero (8000 or 16000)");
        }
    }

    @Test
    void badSettingsAreNamed() throws Exception {
        Path abs = TestData.resourceFile("abs.onnx", dir);
        assertThatThrownBy(() -> ModelSpec.builder(abs).samples("input", 512).state("s", "sN", 1).output("output")
                .overload(OverloadPolicy.BATCH, java.time.Duration.ofSeconds(1)).build())
                .hasMessageContaining("overload policy BATCH needs a model without state");
        assertThatThrownBy(() -> ModelSpec.builder(abs).logMel("input", 1000, 64).output("output").build())
                .hasMessageContaining("log-mel input needs window and hop in multiples of 160 samples");
        assertThatThrownBy(() -> SileroVad.Config.DEFAULT.withThresholds(0.5, 0.7)).hasMessageContaining("negThreshold : 0.7");
        assertThatThrownBy(() -> SileroVad.Config.DEFAULT.withThresholds(1.5, Double.NaN)).hasMessageContaining("threshold : 1.5");
    }

    @Test
    void theBuiltInModelsChecksumIsRecordedBesideIt() throws Exception {
        String recorded = new String(TestData.resource("/io/audiosockets/ml/silero_vad_v5.onnx.sha256")).split("\\s+")[0];
        assertThat(recorded).isEqualTo(SileroVad.SHA256);
        assertThat(OnnxModel.sha256(TestData.resource("/io/audiosockets/ml/silero_vad_v5.onnx"))).isEqualTo(SileroVad.SHA256);
        assertThatThrownBy(() -> OnnxModel.loadResource(SileroVad.class, SileroVad.RESOURCE, "00" + SileroVad.SHA256.substring(2),
                OnnxModel.Device.CPU, 1)).hasMessageContaining("SHA-256 is " + SileroVad.SHA256 + ", expected 00");
    }
}
