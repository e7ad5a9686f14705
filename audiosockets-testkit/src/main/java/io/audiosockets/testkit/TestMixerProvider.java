package io.audiosockets.testkit;

import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;

/**
 * The sound card of the tests: registered in {@code META-INF/services}, so {@link AudioSystem}
 * lists its devices as it would a real machine's, and code under test finds them as it would a
 * microphone. Three devices: {@link #MIC} (every PCM format, any rate, 1 or 2 channels),
 * {@link #HEADSET} (16-bit only, 48 kHz or 44.1 kHz, 1 or 2 channels) and {@link #SPEAKERS} (playback only: not an
 * input device). {@link #setPresent(boolean) setPresent(false)} makes the machine have none.
 *
 * <p>Visible to every test of the module: tests that do not ask for a microphone never see it.
 */
public final class TestMixerProvider extends MixerProvider {
    private static final AudioFormat.Encoding S = AudioFormat.Encoding.PCM_SIGNED;
    private static final AudioFormat.Encoding U = AudioFormat.Encoding.PCM_UNSIGNED;
    private static final AudioFormat.Encoding F = AudioFormat.Encoding.PCM_FLOAT;
    private static final int ANY = AudioSystem.NOT_SPECIFIED;

    /** Every PCM format the converter knows, any rate, mono or stereo. */
    public static final TestMixer MIC = new TestMixer("Test Microphone", "test capture device: every PCM format, any rate", true,
            formats(ANY, new Object[][] {{S, 16, false}, {S, 16, true}, {S, 8, false}, {U, 8, false}, {S, 24, false}, {S, 24, true},
                {S, 32, false}, {S, 32, true}, {F, 32, false}}));
    /** 16-bit little-endian only, at 48 kHz or 44.1 kHz: a device without 16 kHz. */
    public static final TestMixer HEADSET = new TestMixer("Test USB Headset", "test capture device: 16-bit at 48 or 44.1 kHz", true,
            concat(formats(48_000, new Object[][] {{S, 16, false}}), formats(44_100, new Object[][] {{S, 16, false}})));
    /** Playback only. */
    public static final TestMixer SPEAKERS = new TestMixer("Test Speakers", "test playback device", false,
            formats(ANY, new Object[][] {{S, 16, false}}));

    private static volatile boolean present = true;

    /** Whether the machine has the test devices (true unless a test says otherwise; reset it after). */
    public static void setPresent(boolean devicesPresent) {
        present = devicesPresent;
    }

    @Override
    public Mixer.Info[] getMixerInfo() {
        return present ? new Mixer.Info[] {MIC.getMixerInfo(), SPEAKERS.getMixerInfo(), HEADSET.getMixerInfo()} : new Mixer.Info[0];
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        for (TestMixer m : List.of(MIC, SPEAKERS, HEADSET)) {
            if (present && m.getMixerInfo().equals(info)) {
                return m;
            }
        }
        throw new IllegalArgumentException("not a test mixer: " + info);
    }

    private static AudioFormat[] formats(float rate, Object[][] kinds) {
        AudioFormat[] out = new AudioFormat[kinds.length * 2];
        int i = 0;
        for (int ch = 1; ch <= 2; ch++) {
            for (Object[] k : kinds) {
                int bits = (Integer) k[1];
                out[i++] = new AudioFormat((AudioFormat.Encoding) k[0], rate, bits, ch, bits / 8 * ch, rate, (Boolean) k[2]);
            }
        }
        return out;
    }

    private static AudioFormat[] concat(AudioFormat[] a, AudioFormat[] b) {
        AudioFormat[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
