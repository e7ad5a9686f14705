package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.testkit.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model slower than real time under each overload policy. The backlog is real audio whose
 * capture times lie further in the past than the policy's limit, measured against a fixed clock,
 * so that exactly which chunks lag is known: what is skipped is reported exactly, nothing silently.
 */
class OverloadPolicyTest {
    @TempDir
    Path dir;

    /** 20 ms chunks of the quality file; the clock stands 10 s after the first was captured; 2 s allowed. */
    @Test
    void skipDropsExactlyTheLaggingChunksAndSaysSo() {
        TestData.Wav wav = TestData.wav("speech_distractors.wav");
        List<AudioChunk> chunks = wav.chunks("mic", 320);
        TestData.Collector skipping = new TestData.Collector();
        try (OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU); LogCapture logs = new LogCapture()) {
            SileroVad vad = new SileroVad(model, "mic", 16000, SileroVad.Config.DEFAULT, skipping, () -> TestData.T0 + 10_000_000_000L);
            chunks.forEach(vad::process);
            vad.finish();

            // Chunk i ends at (i + 1) * 20 ms, 10 s - (i + 1) * 20 ms behind the clock: lagging from the first (9.98 s
            // behind), caught up at the first within 1 s (half the limit): (i + 1) * 20 ms >= 9 s, i = 449.
            assertThat(skipping.skipped).containsExactly(new Skipped("mic", 0, 448, 0, 449 * 320, TestData.T0,
                    TestData.T0 + 449 * 20_000_000L));
            assertThat(logs.messages().stream().filter(m -> m.contains("behind real time")).toList()).containsExactly(
                    "built-in model silero_vad_v5.onnx on stream 'mic' fell 9.98 s behind real time (more than 2.00 s): skipped chunks"
                            + " 0..448 (449 chunks, samples 0..143680, 8.98 s of audio) to catch up");

            // After the skip the model starts afresh at sample 143680: the same as a new detector fed from there.
            float[] x = wav.floats();
            TestData.Collector fresh = new TestData.Collector();
            SileroVad reference = new SileroVad(model, "mic", 16000, SileroVad.Config.DEFAULT, fresh, () -> 0L);
            reference.process(x, 143_680, x.length - 143_680, TestData.T0 + 143_680 * 62_500L);
            reference.finish();
            assertThat(skipping.probabilityArray()).containsExactly(fresh.probabilityArray());
            assertThat(skipping.windowSamples.get(0)).isEqualTo(143_680L);
            assertThat(skipping.events).isNotEmpty().allMatch(e -> e.sample() >= 143_680L);
            assertThat(skipping.events.stream().map(e -> e.sample() - 143_680).toList())
                    .isEqualTo(fresh.events.stream().map(e -> e.sample()).toList());
        }
    }

    /** A stateless model (output = |input|) behind by 3 s at first: windows run in batches, none lost, each result its own. */
    @Test
    void batchRunsTheBacklogTogetherAndLosesNothing() throws Exception {
        TestData.Wav wav = TestData.wav("speech_distractors.wav");
        float[] x = wav.floats();
        Path abs = TestData.resourceFile("abs.onnx", dir);
        ModelSpec spec = ModelSpec.builder(abs).samples("input", 512).output("output")
                .overload(OverloadPolicy.BATCH, Duration.ofSeconds(2)).maxBatch(8).build();
        List<ModelOutput> outputs = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        try (OnnxModel model = spec.load(); LogCapture logs = new LogCapture()) {
            StreamingModel m = new StreamingModel(model, spec, "mic", 16000, new ModelListener() {
                @Override
                public void onOutput(ModelOutput o) {
                    outputs.add(o);
                }

                @Override
                public void onSkipped(Skipped s) {
                    skipped.add(s);
                }
            }, () -> TestData.T0 + 5_000_000_000L);
            wav.chunks("mic", 320).forEach(m::process);
            m.finish();

            int windows = x.length / 512;
            assertThat(skipped).isEmpty();
            assertThat(outputs).hasSize(windows);
            for (int k = 0; k < windows; k++) {
                ModelOutput o = outputs.get(k);
                assertThat(o.window()).isEqualTo(k);
                assertThat(o.startSample()).isEqualTo(512L * k);
                assertThat(o.captureTimeNanos()).isEqualTo(TestData.T0 + 512L * k * 62_500L);
                float[] expected = Arrays.copyOfRange(x, 512 * k, 512 * (k + 1));
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = Math.abs(expected[i]);
                }
                assertThat(o.outputs().get("output")).as("window %d", k).containsExactly(expected);
            }
            // Lagging until a chunk is within 1 s of the clock (4 s, 125 windows): run 8 at a time; the rest one by one.
            assertThat(m.windowsRun()).isEqualTo(windows);
            assertThat(m.runs()).isEqualTo(windows - 125 + 125 / 8 + 1);
            assertThat(logs.has("is 4.98 s behind real time (more than 2.00 s): running the backlog in batches of up to 8")).isTrue();
            assertThat(logs.has("has caught up (1.00 s behind real time)")).isTrue();
        }
    }
}
