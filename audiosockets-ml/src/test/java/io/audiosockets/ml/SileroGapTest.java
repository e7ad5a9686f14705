package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.SpeechEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A gap in the middle of speech: the speech ends at the last window analysed before it, at that
 * sample's capture time, and the model starts afresh after it (state, context and windows), its
 * samples counted without the missing ones.
 */
class SileroGapTest {
    @Test
    void speechOpenAtAGapEndsAtTheLastWindowBeforeIt() {
        TestData.Wav wav = TestData.wav("speech_distractors.wav");
        List<AudioChunk> chunks = wav.chunks("mic", 320);
        TestData.Collector c = new TestData.Collector();
        try (OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU)) {
            SileroVad vad = new SileroVad(model, "mic", 16000, SileroVad.Config.DEFAULT, c, () -> 0L);
            // Sentence 1 is samples 9600..55008 (chunks 30..171); chunks 60..79 (samples 19200..25600) never arrive.
            for (AudioChunk chunk : chunks) {
                if (chunk.seq() < 60 || chunk.seq() >= 80) {
                    vad.process(chunk);
                }
            }
            vad.finish();

            // Before the gap: 37 whole windows (18944 samples), speech from window 19 (padded by 30 ms).
            assertThat(c.events.get(0)).isEqualTo(new SpeechEvent(SpeechEvent.Type.START, "mic", 9248, TestData.T0 + 9248 * 62_500L));
            assertThat(c.events.get(1)).isEqualTo(new SpeechEvent(SpeechEvent.Type.END, "mic", 18944, TestData.T0 + 18944 * 62_500L));
            // After it, a new segment from received sample 19200 (file sample 25600), windows from there.
            SpeechEvent restart = c.events.get(2);
            assertThat(restart.type()).isEqualTo(SpeechEvent.Type.START);
            assertThat(restart.sample()).isBetween(19200L, 19200L + 2 * 512);
            assertThat(restart.timeNanos()).isEqualTo(TestData.T0 + (restart.sample() + 6400) * 62_500L);
            assertThat(c.windowSamples).contains(18432L).doesNotContain(18944L).contains(19200L, 19712L);
            // The rest of the file as without the gap, 6400 samples earlier.
            assertThat(c.events).hasSize(10); // sentence 1 in two, sentences 2 to 4
            assertThat(c.events.get(3).sample() + 6400).isCloseTo(55776L, org.assertj.core.data.Offset.offset(512L));
        }
    }
}
