package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.SpeechEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.audiosockets.dsp.VoiceActivityDetector;

/**
 * The Silero VAD on four spoken sentences with music, a noise burst and hand claps between them
 * (src/test/reference/make_speech_distractors.py): exactly the sentences, each boundary within
 * 80 ms, none of the distractors; also with steady noise added.
 */
class SileroQualityTest {
    /** Each boundary within 80 ms at 16 kHz. */
    static final long TOLERANCE = 1280;

    private static OnnxModel model;

    @BeforeAll
    static void load() {
        model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The test file with white noise at {@code noiseDbfs} RMS added (seeded), or clean for 0. */
    static float[] audio(double noiseDbfs) {
        float[] x = TestData.wav("speech_distractors.wav").floats();
        if (noiseDbfs < 0) {
            Random rng = new Random(15);
            double sigma = Math.pow(10, noiseDbfs / 20);
            for (int i = 0; i < x.length; i++) {
                x[i] += (float) (sigma * rng.nextGaussian());
            }
        }
        return x;
    }

    static List<SpeechEvent> detect(float[] x, SileroVad.Config config) {
        TestData.Collector c = new TestData.Collector();
        SileroVad vad = new SileroVad(model, "mic", 16000, config, c, () -> TestData.T0);
        for (int at = 0, seq = 0; at < x.length; at += 320, seq++) {
            int n = Math.min(320, x.length - at);
            float[] part = java.util.Arrays.copyOfRange(x, at, at + n);
            vad.process(AudioChunk.ofFloats("mic", seq, TestData.T0 + at * 62_500L, 16000, 1,
                    io.audiosockets.audio.SampleFormat.FLOAT32LE, part));
        }
        vad.finish();
        return c.events;
    }

    /** The labelled sounds of one kind; "distractor" for all that are not speech. */
    static List<TestData.Label> labels(String kind) {
        List<TestData.Label> out = new ArrayList<>();
        for (TestData.Label l : TestData.labels("speech_distractors.labels.tsv")) {
            if (kind.equals("distractor") ? !l.kind().equals("speech") : l.kind().equals(kind)) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Clean with Silero's defaults (30 ms padding), and clean and noisy (white noise at -40 dBFS,
     * 16 dB below the speech) without padding: the padding is a margin added on purpose, the
     * boundaries under test are the detector's own.
     */
    @ParameterizedTest(name = "noise {0} dBFS (0: clean), padding {1} ms")
    @CsvSource({"0,30", "0,0", "-40,0"})
    void findsExactlyTheSentences(int noiseDbfs, int padMs) {
        List<SpeechEvent> events = detect(audio(noiseDbfs), SileroVad.Config.DEFAULT.withDurations(250, 100, padMs));
        List<TestData.Label> speech = labels("speech");
        assertThat(events).as("events %s", events).hasSize(2 * speech.size());
        for (int i = 0; i < speech.size(); i++) {
            SpeechEvent start = events.get(2 * i);
            SpeechEvent end = events.get(2 * i + 1);
            TestData.Label l = speech.get(i);
            assertThat(start.type()).isEqualTo(SpeechEvent.Type.START);
            assertThat(end.type()).isEqualTo(SpeechEvent.Type.END);
            assertThat(start.sample()).as("sentence %d starts at %d; events %s", i, l.start(), events).isCloseTo(l.start(),
                    org.assertj.core.data.Offset.offset(TOLERANCE));
            assertThat(end.sample()).as("sentence %d ends at %d; events %s", i, l.end(), events).isCloseTo(l.end(),
                    org.assertj.core.data.Offset.offset(TOLERANCE));
            // Sample-accurate capture times: the chunk's time plus the offset at 16 kHz.
            assertThat(start.timeNanos()).isEqualTo(TestData.T0 + start.sample() * 62_500L);
            assertThat(end.timeNanos()).isEqualTo(TestData.T0 + end.sample() * 62_500L);
        }
    }

    /**
     * The energy detector on the same file, for the comparison in docs/DSP.md: it calls the
     * distractors speech (what the Silero detector is for). Prints both detectors' boundaries.
     */
    @org.junit.jupiter.api.Test
    void theEnergyDetectorTakesTheDistractorsForSpeech() {
        for (int noise : new int[] {0, -40, -30}) {
            float[] x = audio(noise);
            VoiceActivityDetector energy = new VoiceActivityDetector(16000);
            List<SpeechEvent> events = new ArrayList<>();
            for (int at = 0; at < x.length; at += 320) {
                events.addAll(energy.process(x, at, Math.min(320, x.length - at), TestData.T0 + at * 62_500L));
            }
            events.addAll(energy.reset());
            System.out.println("energy, noise " + noise + " dBFS: " + spans(events));
            System.out.println("silero, noise " + noise + " dBFS: " + spans(detect(x, SileroVad.Config.DEFAULT)));
            if (noise == 0) {
                long distractorsHit = labels("distractor").stream().filter(d -> events.stream().anyMatch(e ->
                        e.type() == SpeechEvent.Type.START && e.sample() >= d.start() - TOLERANCE && e.sample() < d.end())).count();
                assertThat(distractorsHit).as("distractors the energy detector calls speech; events %s", spans(events)).isEqualTo(3);
            }
        }
    }

    private static String spans(List<SpeechEvent> events) {
        StringBuilder b = new StringBuilder();
        for (SpeechEvent e : events) {
            b.append(e.type() == SpeechEvent.Type.START ? String.format(java.util.Locale.ROOT, " [%.3f", e.sample() / 16000.0)
                    : String.format(java.util.Locale.ROOT, "-%.3f s]", e.sample() / 16000.0));
        }
        return b.toString();
    }
}
