package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.dsp.SpeechEvent;
import io.audiosockets.testkit.LogCapture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@link StreamingModel} feeds a model, checked through models whose output is their input's
 * absolute value: windows and hops across chunk boundaries, log-mel input, resampling, devices.
 */
class StreamingModelTest {
    @TempDir
    Path dir;

    private static List<ModelOutput> run(ModelSpec spec, float[] x, int rate, int chunk) {
        List<ModelOutput> outputs = new ArrayList<>();
        try (OnnxModel model = spec.load()) {
            StreamingModel m = new StreamingModel(model, spec, "s", rate, outputs::add, () -> 0L);
            for (int at = 0, seq = 0; at < x.length; at += chunk, seq++) {
                float[] part = Arrays.copyOfRange(x, at, Math.min(x.length, at + chunk));
                m.process(AudioChunk.ofFloats("s", seq, TestData.T0 + at * 1_000_000_000L / rate, rate, 1, SampleFormat.FLOAT32LE, part));
            }
            m.finish();
        }
        return outputs;
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {100, 256, 777, 16000})
    void overlappingWindowsWithContextSpanChunkBoundaries(int chunk) throws Exception {
        float[] x = Arrays.copyOf(TestData.wav("speech_distractors.wav").floats(), 40_000);
        ModelSpec spec = ModelSpec.builder(TestData.resourceFile("abs.onnx", dir)).samples("input", 512).hop(256).context(64)
                .output("output").build();
        List<ModelOutput> outputs = run(spec, x, 16000, chunk);
        assertThat(outputs).hasSize((x.length - 512) / 256 + 1);
        for (ModelOutput o : outputs) {
            int start = (int) (256 * o.window());
            assertThat(o.startSample()).isEqualTo(start);
            float[] expected = new float[576];
            for (int i = 0; i < 576; i++) {
                int at = start - 64 + i;
                expected[i] = at < 0 ? 0f : Math.abs(x[at]);
            }
            assertThat(o.outputs().get("output")).as("window %d", o.window()).containsExactly(expected);
        }
    }

    /** Windows of 32 log-mel columns (0.32 s) every 16 (0.16 s): the columns StreamingLogMel computes over the whole stream. */
    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {160, 1000, 8000})
    void logMelWindowsHoldTheStreamsColumns(int chunk) throws Exception {
        float[] x = Arrays.copyOf(TestData.wav("speech_distractors.wav").floats(), 32_000);
        ModelSpec spec = ModelSpec.builder(TestData.resourceFile("abs_mel.onnx", dir)).logMel("input", 5120, 40).hop(2560)
                .output("output").build();
        double[][] columns = new LogMelSpectrogram(16000, 40, LogMelSpectrogram.DEFAULT_WIN_DUR, LogMelSpectrogram.DEFAULT_HOP_DUR,
                LogMelSpectrogram.DEFAULT_EPS).compute(x);
        List<ModelOutput> outputs = run(spec, x, 16000, chunk);
        assertThat(outputs).hasSizeGreaterThan(8);
        for (ModelOutput o : outputs) {
            int first = (int) (16 * o.window());
            assertThat(o.startSample()).isEqualTo(160L * first);
            float[] got = o.outputs().get("output");
            assertThat(got).hasSize(40 * 32);
            for (int b = 0; b < 40; b++) {
                for (int t = 0; t < 32; t++) {
                    // Batch and streaming log-mel agree to float rounding; the tensor is [mels, frames], band-major.
                    assertThat(got[b * 32 + t]).as("window %d band %d frame %d", o.window(), b, t)
                            .isCloseTo((float) Math.abs(columns[b][first + t]), org.assertj.core.data.Offset.offset(1e-3f));
                }
            }
        }
    }

    /** The quality file at 48 kHz (upsampled by our resampler): resampled back to 16 kHz, the same sentences at 48 kHz samples. */
    @Test
    void sileroAtAnotherRateIsResampledAndReportsTheStreamsSamples() {
        float[] x16 = TestData.wav("speech_distractors.wav").floats();
        PolyphaseResampler up = new PolyphaseResampler(16000, 48000);
        float[] x48 = new float[x16.length * 3 + 1024];
        int[] n = {0};
        up.push(x16, 0, x16.length, (s, len, first) -> {
            System.arraycopy(s, 0, x48, n[0], len);
            n[0] += len;
        });
        TestData.Collector c = new TestData.Collector();
        try (OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU)) {
            SileroVad vad = new SileroVad(model, "mic", 48000, SileroVad.Config.DEFAULT.withDurations(250, 100, 0), c, () -> 0L);
            for (int at = 0, seq = 0; at < n[0]; at += 960, seq++) {
                float[] part = Arrays.copyOfRange(x48, at, Math.min(n[0], at + 960));
                vad.process(AudioChunk.ofFloats("mic", seq, TestData.T0 + at * 1_000_000_000L / 48000, 48000, 1, SampleFormat.FLOAT32LE, part));
            }
            vad.finish();
        }
        List<TestData.Label> speech = SileroQualityTest.labels("speech");
        assertThat(c.events).hasSize(8);
        for (int i = 0; i < 4; i++) {
            SpeechEvent start = c.events.get(2 * i);
            SpeechEvent end = c.events.get(2 * i + 1);
            assertThat(start.sample()).isCloseTo(3 * speech.get(i).start(), org.assertj.core.data.Offset.offset(3 * SileroQualityTest.TOLERANCE));
            assertThat(end.sample()).isCloseTo(3 * speech.get(i).end(), org.assertj.core.data.Offset.offset(3 * SileroQualityTest.TOLERANCE));
            assertThat(start.timeNanos()).isEqualTo(TestData.T0 + Math.floorDiv(start.sample() * 1_000_000_000L + 24000, 48000));
        }
        // Window k covers 16 kHz samples from 512 k: 48 kHz sample 1536 k.
        assertThat(c.windowSamples.subList(0, 3)).containsExactly(0L, 1536L, 3072L);
    }

    @Test
    void cudaFallsBackToTheCpuWithOneLogLine() {
        try (LogCapture logs = new LogCapture(); OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CUDA)) {
            // This build of ONNX Runtime is the CPU one: CUDA cannot be there.
            assertThat(model.device()).isEqualTo(OnnxModel.Device.CPU);
            assertThat(logs.messages().stream().filter(m -> m.contains("CUDA is not available")).toList()).hasSize(1);
            assertThat(logs.has("built-in model silero_vad_v5.onnx: CUDA is not available (", "); running on the CPU")).isTrue();
        }
    }
}
