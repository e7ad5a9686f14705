package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class VoiceActivityDetectorTest {
    private static final Logger log = LoggerFactory.getLogger(VoiceActivityDetectorTest.class);
    private static final int RATE = 16000;
    private static final long T0 = 1_764_000_000_123_456_789L;

    /** The test WAV's bytes (16-bit mono) and its true segments. */
    private static byte[] speechPcm() throws Exception {
        try (InputStream in = new BufferedInputStream(VoiceActivityDetectorTest.class.getResourceAsStream("/vad/speech_vad_16k.wav"));
             AudioInputStream ais = AudioSystem.getAudioInputStream(in)) {
            assertThat(ais.getFormat().getSampleRate()).isEqualTo(16000f);
            assertThat(ais.getFormat().getChannels()).isEqualTo(1);
            assertThat(ais.getFormat().getSampleSizeInBits()).isEqualTo(16);
            return ais.readAllBytes();
        }
    }

    private static JsonNode truth() throws Exception {
        try (InputStream in = VoiceActivityDetectorTest.class.getResourceAsStream("/vad/speech_vad_16k.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /**
     * Feeds {@code pcm} (16-bit little-endian) in blocks of {@code chunkFrames}, with capture times
     * T0 + offset / rate, each decoded into the same buffer (as a processor does), from offset 1.
     */
    private static List<SpeechEvent> run(VoiceActivityDetector vad, byte[] pcm, int chunkFrames) {
        List<SpeechEvent> events = new ArrayList<>();
        int frames = pcm.length / 2;
        float[] buffer = new float[chunkFrames + 2];
        for (int at = 0; at < frames; at += chunkFrames) {
            int n = Math.min(chunkFrames, frames - at);
            long t = T0 + at * 1_000_000_000L / RATE;
            Arrays.fill(buffer, Float.NaN); // what lies outside the range given must not be read
            for (int i = 0; i < n; i++) {
                int b = 2 * (at + i);
                buffer[1 + i] = (short) ((pcm[b] & 0xFF) | (pcm[b + 1] << 8)) / 32768f;
            }
            events.addAll(vad.process(buffer, 1, n, t));
        }
        return events;
    }

    @Test
    void findsEachSpokenSegmentWithin50ms() throws Exception {
        byte[] pcm = speechPcm();
        JsonNode truth = truth();
        assertThat(pcm.length / 2).isEqualTo(truth.get("n_samples").asInt());
        List<SpeechEvent> events = run(new VoiceActivityDetector("mic", RATE, VoiceActivityDetector.Config.DEFAULT), pcm, 320);
        log.info("VAD events on speech_vad_16k.wav: {}", events);

        JsonNode segs = truth.get("segments");
        assertThat(events).hasSize(2 * segs.size());
        long tolerance = RATE * 50 / 1000;
        for (int i = 0; i < segs.size(); i++) {
            SpeechEvent start = events.get(2 * i);
            SpeechEvent end = events.get(2 * i + 1);
            long trueStart = segs.get(i).get("start").asLong();
            long trueEnd = segs.get(i).get("end").asLong();
            log.info("segment {}: start {} (true {}, {} ms), end {} (true {}, {} ms)", i, start.sample(), trueStart,
                    (start.sample() - trueStart) * 1000.0 / RATE, end.sample(), trueEnd, (end.sample() - trueEnd) * 1000.0 / RATE);
            assertThat(start.type()).isEqualTo(SpeechEvent.Type.START);
            assertThat(end.type()).isEqualTo(SpeechEvent.Type.END);
            assertThat(start.sample()).isBetween(trueStart - tolerance, trueStart + tolerance);
            assertThat(end.sample()).isBetween(trueEnd - tolerance, trueEnd + tolerance);
            // Sample-accurate capture time: the chunks' times plus offset / rate.
            assertThat(start.timeNanos()).isEqualTo(T0 + Math.round(start.sample() * 1e9 / RATE));
            assertThat(end.timeNanos()).isEqualTo(T0 + Math.round(end.sample() * 1e9 / RATE));
            assertThat(start.stream()).isEqualTo("mic");
        }
    }

    @Test
    void chunksOf20msAndHalfASecondGiveTheSameEvents() throws Exception {
        byte[] pcm = speechPcm();
        List<SpeechEvent> small = run(new VoiceActivityDetector(RATE), pcm, 320);
        assertThat(small).isNotEmpty();
        assertThat(run(new VoiceActivityDetector(RATE), pcm, 8000)).isEqualTo(small);
        assertThat(run(new VoiceActivityDetector(RATE), pcm, 777)).isEqualTo(small);
    }

    @Test
    void pureSilenceGivesNoEvents() {
        VoiceActivityDetector vad = new VoiceActivityDetector(RATE);
        List<SpeechEvent> events = run(vad, new byte[2 * RATE * 5], 320);
        assertThat(events).isEmpty();
        assertThat(vad.noiseFloorDbfs()).isEqualTo(LevelMeter.FLOOR_DBFS);
        assertThat(vad.reset()).isEmpty();
    }

    @Test
    void steadyBackgroundNoiseGivesNoEvents() {
        java.util.Random r = new java.util.Random(7);
        float[] x = new float[RATE * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 0.003);
        }
        VoiceActivityDetector vad = new VoiceActivityDetector(RATE);
        assertThat(vad.process(x, 0, x.length, T0)).isEmpty();
        assertThat(vad.noiseFloorDbfs()).isBetween(-55.0, -48.0);
    }

    /** A 1 kHz tone in silence from {@code from} to {@code to} (exclusive), in mono floats. */
    private static float[] toneBurst(int total, int from, int to) {
        float[] x = new float[total];
        for (int i = from; i < to; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 1000 * i / RATE));
        }
        return x;
    }

    @Test
    void toneBurstIsFoundToOneFrame() {
        int from = 8123;
        int to = 24321;
        float[] x = toneBurst(3 * RATE, from, to);
        VoiceActivityDetector vad = new VoiceActivityDetector(RATE);
        List<SpeechEvent> events = vad.process(x, 0, x.length, T0);
        assertThat(events).extracting(SpeechEvent::type).containsExactly(SpeechEvent.Type.START, SpeechEvent.Type.END);
        int frame = vad.frameLength();
        assertThat(events.get(0).sample()).isBetween((long) from - frame, (long) from + frame);
        assertThat(events.get(1).sample()).isBetween((long) to - frame, (long) to + frame);
        // Frames are 320 samples from sample 0. [8000, 8320) holds 197 tone samples: active, so speech
        // starts at 8000. [24320, 24640) holds a single one: not active, so speech ends at 24320.
        assertThat(events.get(0).sample()).isEqualTo(8000);
        assertThat(events.get(1).sample()).isEqualTo(24320);
    }

    @Test
    void burstShorterThanMinimumSpeechIsIgnored() {
        float[] x = toneBurst(2 * RATE, 8000, 8000 + RATE * 40 / 1000); // 40 ms < 100 ms
        assertThat(new VoiceActivityDetector(RATE).process(x, 0, x.length, T0)).isEmpty();
    }

    @Test
    void aResetForAGapEndsOpenSpeechAndRestartsFraming() {
        float[] x = toneBurst(RATE, 4000, RATE); // speech still open at the end
        VoiceActivityDetector vad = new VoiceActivityDetector(RATE);
        List<SpeechEvent> before = new ArrayList<>();
        before.addAll(vad.process(x, 0, 8000, T0));
        before.addAll(vad.process(x, 8000, RATE - 8000, T0 + 500_000_000L));
        assertThat(before).extracting(SpeechEvent::type).containsExactly(SpeechEvent.Type.START);
        assertThat(vad.inSpeech()).isTrue();

        // Audio lost (chunks 2..9, say): the reset closes the speech at its last active frame.
        List<SpeechEvent> after = vad.reset();
        assertThat(after).hasSize(1);
        SpeechEvent end = after.get(0);
        assertThat(end.type()).isEqualTo(SpeechEvent.Type.END);
        assertThat(end.sample()).isEqualTo(RATE); // end of the last frame fed before the gap
        assertThat(end.timeNanos()).isEqualTo(T0 + 1_000_000_000L);
        assertThat(vad.inSpeech()).isFalse();
        assertThat(vad.reset()).isEmpty(); // nothing open any more

        float[] silence = new float[8000];
        long t10 = T0 + 5_000_000_000L;
        assertThat(vad.process(silence, 0, silence.length, t10)).isEmpty();
        // After the gap, framing starts at the first sample fed: a tone from sample 0 of a block starts there.
        float[] tone = toneBurst(8000, 0, 8000);
        List<SpeechEvent> again = vad.process(tone, 0, tone.length, t10 + 500_000_000L);
        assertThat(again).extracting(SpeechEvent::type).containsExactly(SpeechEvent.Type.START);
        assertThat(again.get(0).sample()).isEqualTo(RATE + 8000L); // samples fed, the lost ones not counted
        assertThat(again.get(0).timeNanos()).isEqualTo(t10 + 500_000_000L);
    }

    @Test
    void validatesConfigNamingTheField() {
        VoiceActivityDetector.Config d = VoiceActivityDetector.Config.DEFAULT;
        assertThat(new VoiceActivityDetector(RATE).frameLength()).isEqualTo(320);
        assertThat(new VoiceActivityDetector(RATE, d.withFrameMs(30)).frameLength()).isEqualTo(480);
        assertThatThrownBy(() -> d.withFrameMs(0)).hasMessage("frameMs : 0.0 (expected: > 0 and finite)");
        assertThatThrownBy(() -> d.withThresholdDb(-1)).hasMessage("thresholdDb : -1.0 (expected: > 0 and finite)");
        assertThatThrownBy(() -> d.withHangoverMs(-5)).hasMessage("hangoverMs : -5.0 (expected: >= 0 and finite)");
        assertThatThrownBy(() -> d.withNoisePercentile(100)).hasMessage("noisePercentile : 100.0 (expected: 0 <= p < 100)");
        assertThatThrownBy(() -> d.withNoiseWindowMs(10)).hasMessage("noiseWindowMs : 10.0 (expected: >= frameMs = 20.0)");
        assertThatThrownBy(() -> new VoiceActivityDetector(0)).hasMessage("sampleRate : 0 (expected: > 0)");
        VoiceActivityDetector vad = new VoiceActivityDetector(RATE);
        assertThatThrownBy(() -> vad.process(new float[10], 5, 6, T0))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("mono : offset 5, length 6 (expected: within an array of 10)");
        assertThatThrownBy(() -> new VoiceActivityDetector(null, RATE, d)).hasMessage("stream == null");
    }
}
