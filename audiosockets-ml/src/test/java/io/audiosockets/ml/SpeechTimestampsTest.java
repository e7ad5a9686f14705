package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.dsp.SpeechEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming {@link SpeechTimestamps} against Silero's {@code get_speech_timestamps} written out
 * as it is in silero-vad's {@code utils_vad.py} (offline: all probabilities first, then the
 * speeches, then the padding), on the reference probabilities and on thousands of random ones.
 */
class SpeechTimestampsTest {
    /** Silero's algorithm, offline, over whole windows ({@code audio_length_samples} = windows * 512). */
    static List<long[]> offline(float[] probs, SileroVad.Config c) {
        int w = 512;
        double minSpeech = 16000 * c.minSpeechMs() / 1000;
        double minSilence = 16000 * c.minSilenceMs() / 1000;
        double pad = 16000 * c.speechPadMs() / 1000;
        double neg = c.effectiveNegThreshold();
        long length = (long) probs.length * w;
        boolean triggered = false;
        List<long[]> speeches = new ArrayList<>();
        long[] current = null;
        long tempEnd = 0;
        for (int i = 0; i < probs.length; i++) {
            float p = probs[i];
            if (p >= c.threshold() && tempEnd != 0) {
                tempEnd = 0;
            }
            if (p >= c.threshold() && !triggered) {
                triggered = true;
                current = new long[] {(long) w * i, 0};
                continue;
            }
            if (p < neg && triggered) {
                if (tempEnd == 0) {
                    tempEnd = (long) w * i;
                }
                if ((long) w * i - tempEnd < minSilence) {
                    continue;
                }
                current[1] = tempEnd;
                if (current[1] - current[0] > minSpeech) {
                    speeches.add(current);
                }
                current = null;
                tempEnd = 0;
                triggered = false;
            }
        }
        if (current != null && length - current[0] > minSpeech) {
            current[1] = length;
            speeches.add(current);
        }
        for (int i = 0; i < speeches.size(); i++) {
            long[] s = speeches.get(i);
            if (i == 0) {
                s[0] = (long) Math.max(0, s[0] - pad);
            }
            if (i != speeches.size() - 1) {
                long[] next = speeches.get(i + 1);
                long silence = next[0] - s[1];
                if (silence < 2 * pad) {
                    s[1] += silence / 2;
                    next[0] = Math.max(0, next[0] - silence / 2);
                } else {
                    s[1] = (long) Math.min(length, s[1] + pad);
                    next[0] = (long) Math.max(0, next[0] - pad);
                }
            } else {
                s[1] = (long) Math.min(length, s[1] + pad);
            }
        }
        return speeches;
    }

    static List<long[]> streaming(float[] probs, SileroVad.Config c) {
        List<long[]> speeches = new ArrayList<>();
        long[] open = {-1};
        SpeechTimestamps t = new SpeechTimestamps(512, 16000, c, (type, sample) -> {
            if (type == SpeechEvent.Type.START) {
                assertThat(open[0]).as("START while speech is open").isEqualTo(-1);
                open[0] = sample;
            } else {
                assertThat(open[0]).as("END without START").isNotEqualTo(-1);
                speeches.add(new long[] {open[0], sample});
                open[0] = -1;
            }
        });
        for (float p : probs) {
            t.accept(p);
        }
        t.finish();
        return speeches;
    }

    @Test
    void theReferenceProbabilitiesGiveSilerosSpeeches() {
        float[] probs = TestData.probabilities("speech_distractors.silero_v5.tsv");
        List<long[]> expected = offline(probs, SileroVad.Config.DEFAULT);
        assertThat(expected).hasSize(4);
        assertThat(streaming(probs, SileroVad.Config.DEFAULT)).containsExactlyElementsOf(expected);
    }

    @Test
    void randomProbabilitiesGiveSilerosSpeechesUnderEverySetting() {
        Random rng = new Random(20261207);
        SileroVad.Config[] configs = {SileroVad.Config.DEFAULT, SileroVad.Config.DEFAULT.withDurations(0, 0, 0),
            SileroVad.Config.DEFAULT.withDurations(100, 300, 100), SileroVad.Config.DEFAULT.withDurations(64, 32, 200),
            SileroVad.Config.DEFAULT.withThresholds(0.6, 0.6), SileroVad.Config.DEFAULT.withThresholds(0.3, 0.05)};
        int compared = 0;
        for (int trial = 0; trial < 3000; trial++) {
            // Runs of speech-like and silence-like windows with noise, so that every rule is exercised.
            float[] probs = new float[rng.nextInt(200) + 1];
            boolean speech = rng.nextBoolean();
            for (int i = 0; i < probs.length; i++) {
                if (rng.nextInt(6) == 0) {
                    speech = !speech;
                }
                probs[i] = rng.nextInt(8) == 0 ? rng.nextFloat() : speech ? 0.5f + 0.5f * rng.nextFloat() : 0.4f * rng.nextFloat();
            }
            SileroVad.Config c = configs[trial % configs.length];
            List<long[]> expected = offline(probs, c);
            assertThat(streaming(probs, c)).as("trial %d, %s", trial, c).containsExactlyElementsOf(expected);
            compared += expected.size();
        }
        assertThat(compared).isGreaterThan(10_000);
    }
}
