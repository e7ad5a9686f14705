package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our Silero VAD against a reference run of the same model by onnxruntime-node
 * (src/test/reference/silero_reference.mjs, output committed): the per-window speech probabilities
 * agree to 1e-4, and do not depend on how the audio is chunked.
 */
class SileroParityTest {
    private static OnnxModel model;

    @BeforeAll
    static void load() {
        model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] run(int chunkFrames) {
        TestData.Wav wav = TestData.wav("speech_distractors.wav");
        TestData.Collector c = new TestData.Collector();
        SileroVad vad = new SileroVad(model, "mic", wav.rate(), SileroVad.Config.DEFAULT, c, () -> TestData.T0);
        for (AudioChunk chunk : wav.chunks("mic", chunkFrames)) {
            vad.process(chunk);
        }
        vad.finish();
        for (int i = 0; i < c.windowSamples.size(); i++) {
            assertThat(c.windowSamples.get(i)).as("window %d's first sample", i).isEqualTo(512L * i);
        }
        return c.probabilityArray();
    }

    @ParameterizedTest(name = "chunks of {0} samples")
    @ValueSource(ints = {320, 512, 8000})
    void probabilitiesMatchTheReferenceRun(int chunkFrames) {
        float[] reference = TestData.probabilities("speech_distractors.silero_v5.tsv");
        float[] ours = run(chunkFrames);
        assertThat(ours).hasSize(reference.length);
        double maxDelta = 0;
        for (int i = 0; i < ours.length; i++) {
            maxDelta = Math.max(maxDelta, Math.abs(ours[i] - reference[i]));
        }
        assertThat(maxDelta).as("max |ours - reference| over %d windows", ours.length).isLessThanOrEqualTo(1e-4);
        // The file has speech and silence: the comparison is not between two flat lines.
        float max = 0;
        float min = 1;
        for (float p : reference) {
            max = Math.max(max, p);
            min = Math.min(min, p);
        }
        assertThat(max).isGreaterThan(0.98f);
        assertThat(min).isLessThan(0.02f);
    }

    @Test
    void chunkingDoesNotChangeAnyProbability() {
        float[] a = run(320);
        assertThat(run(512)).containsExactly(a);
        assertThat(run(8000)).containsExactly(a);
    }
}
