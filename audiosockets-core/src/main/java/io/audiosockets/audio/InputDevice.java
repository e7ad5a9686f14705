package io.audiosockets.audio;

import io.audiosockets.internal.audio.PcmConverter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * An audio input device as {@code javax.sound.sampled} lists it: a {@link Mixer} that offers a
 * {@link TargetDataLine}. The paper's {@code --list-devices} shows these.
 *
 * <p>{@link #list()} numbers the devices 0, 1, ... in the order {@link AudioSystem#getMixerInfo()}
 * gives them, skipping mixers that cannot capture (playback devices, ports); the numbers are
 * stable as long as no device is plugged in or out. The default device is the first one.
 *
 * @param index the device's number in {@link #list()}
 * @param mixerInfo what {@code javax.sound} knows of the device (name, vendor, description)
 * @param formats the capture formats its lines offer; a rate or channel count of
 *     {@link AudioSystem#NOT_SPECIFIED} means any
 */
public record InputDevice(int index, Mixer.Info mixerInfo, List<AudioFormat> formats) {

    /** Validates and copies. */
    public InputDevice {
        Objects.requireNonNull(mixerInfo, "mixerInfo == null");
        formats = List.copyOf(formats);
    }

    /** The device's name, e.g. {@code "default [default]"} or {@code "PCH [plughw:0,0]"}. */
    public String name() {
        return mixerInfo.getName();
    }

    /** The device's description, e.g. {@code "Direct Audio Device: HDA Intel PCH, ALC3246 Analog"}. */
    public String description() {
        return mixerInfo.getDescription();
    }

    /** The mixer behind the device. */
    public Mixer mixer() {
        return AudioSystem.getMixer(mixerInfo);
    }

    /** The formats we can convert ({@link #formats()} less compressed or exotic encodings), in the device's order. */
    public List<AudioFormat> convertibleFormats() {
        return formats.stream().filter(InputDevice::isConvertible).toList();
    }

    /** {@code 0 'Test Microphone'}: how log lines and errors name the device. */
    public String label() {
        return index + " '" + name() + "'";
    }

    @Override
    public String toString() {
        return "input device " + label();
    }

    /**
     * Every input device, numbered. Empty on a machine without a sound card (unless an ALSA plugin
     * or a {@code MixerProvider} offers one).
     */
    public static List<InputDevice> list() {
        List<InputDevice> out = new ArrayList<>();
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            Mixer mixer;
            try {
                mixer = AudioSystem.getMixer(info);
            } catch (IllegalArgumentException | SecurityException e) {
                continue; // listed but not obtainable: not a device we can open either
            }
            List<AudioFormat> formats = captureFormats(mixer);
            boolean captures = false;
            for (Line.Info li : mixer.getTargetLineInfo()) {
                captures |= TargetDataLine.class.isAssignableFrom(li.getLineClass());
            }
            if (captures) {
                out.add(new InputDevice(out.size(), info, formats));
            }
        }
        return out;
    }

    private static List<AudioFormat> captureFormats(Mixer mixer) {
        Map<String, AudioFormat> unique = new LinkedHashMap<>();
        for (Line.Info li : mixer.getTargetLineInfo()) {
            if (li instanceof javax.sound.sampled.DataLine.Info dli && TargetDataLine.class.isAssignableFrom(li.getLineClass())) {
                for (AudioFormat f : dli.getFormats()) {
                    unique.putIfAbsent(describe(f), f);
                }
            }
        }
        return List.copyOf(unique.values());
    }

    /**
     * Finds a device by number ({@code "1"}) or by a case-insensitive part of its name
     * ({@code "usb"}); {@code null} or blank means the default device (the first).
     *
     * @throws IllegalArgumentException if there is no input device at all, if the number is out
     *     of range, or if the name matches no device or several (an exact name wins over parts);
     *     the message lists the devices there are
     */
    public static InputDevice select(String spec) {
        List<InputDevice> devices = list();
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no audio input device: javax.sound.sampled lists none "
                    + "(no sound card, or no ALSA/PulseAudio device configured)");
        }
        if (spec == null || spec.isBlank()) {
            return devices.get(0);
        }
        String s = spec.trim();
        if (s.chars().allMatch(Character::isDigit)) {
            int i;
            try {
                i = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                i = Integer.MAX_VALUE;
            }
            if (i >= devices.size()) {
                throw new IllegalArgumentException("device " + s + ": there is no input device " + s + " (devices are numbered 0.."
                        + (devices.size() - 1) + "): " + names(devices));
            }
            return devices.get(i);
        }
        List<InputDevice> exact = devices.stream().filter(d -> d.name().equalsIgnoreCase(s)).toList();
        if (exact.size() == 1) {
            return exact.get(0);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        List<InputDevice> matches = devices.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).contains(lower)).toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("device '" + s + "': no input device's name contains it; the devices are: " + names(devices));
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("device '" + s + "' matches " + matches.size() + " input devices: " + names(matches)
                    + "; give more of the name, or the number");
        }
        return matches.get(0);
    }

    private static String names(List<InputDevice> devices) {
        StringBuilder b = new StringBuilder();
        for (InputDevice d : devices) {
            b.append(b.length() == 0 ? "" : ", ").append(d.label());
        }
        return b.toString();
    }

    /** True if {@link PcmConverter} can read {@code f}: a format a microphone source can capture in. */
    public static boolean isConvertible(AudioFormat f) {
        try {
            PcmConverter.forFormat(f);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A short name for a capture format: {@code s16le}, {@code u8}, {@code s24be}, {@code f32le},
     * then the channels and the rate ({@code "any"} where the device leaves them open), e.g.
     * {@code "s16le, 1 ch, any rate"}.
     */
    public static String describe(AudioFormat f) {
        String channels = f.getChannels() == AudioSystem.NOT_SPECIFIED ? "any channels" : f.getChannels() + " ch";
        String rate = f.getSampleRate() == AudioSystem.NOT_SPECIFIED ? "any rate" : Math.round(f.getSampleRate()) + " Hz";
        return sampleName(f) + ", " + channels + ", " + rate;
    }

    /** The sample part of {@link #describe}: {@code s16le}, {@code u8}, {@code f32le}, or the encoding's own name. */
    public static String sampleName(AudioFormat f) {
        AudioFormat.Encoding e = f.getEncoding();
        String kind = AudioFormat.Encoding.PCM_SIGNED.equals(e) ? "s" : AudioFormat.Encoding.PCM_UNSIGNED.equals(e) ? "u"
                : AudioFormat.Encoding.PCM_FLOAT.equals(e) ? "f" : null;
        int bits = f.getSampleSizeInBits();
        if (kind == null || bits == AudioSystem.NOT_SPECIFIED) {
            return e + (bits == AudioSystem.NOT_SPECIFIED ? "" : " " + bits + "-bit");
        }
        return kind + bits + (bits > 8 ? (f.isBigEndian() ? "be" : "le") : "");
    }
}
