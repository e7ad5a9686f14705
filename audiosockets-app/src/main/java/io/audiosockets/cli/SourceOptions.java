package io.audiosockets.cli;

import io.audiosockets.audio.AudioSource;
import io.audiosockets.audio.InputDevice;
import io.audiosockets.audio.MicrophoneSource;
import io.audiosockets.audio.PcmStreamSource;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.audio.WavFileSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Where a recorder's audio comes from: {@code --source} and the options that shape it.
 * A picocli mixin shared by {@code record} and {@code demo}.
 */
final class SourceOptions {
    static final String SOURCES = "synth (= synth:bursts), synth:sine[:HZ], synth:noise, synth:bursts[:HZ], wav:PATH (or a path "
            + "ending in .wav), stdin (raw PCM: set --samplerate, --channels, --sample-format), mic (an input device: --device)";
    /** What to use instead of a microphone on a machine without one. */
    static final String NO_MIC_HINT = "use --source synth or --source wav:PATH instead";
    static final int DEFAULT_RATE = 16_000;

    @Option(names = {"-s", "--source"}, paramLabel = "SOURCE", defaultValue = "synth",
            description = "Audio source: " + SOURCES + ". Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = {"--samplerate", "--rate"}, paramLabel = "HZ",
            description = "Sample rate. Synth and stdin: default 16000. Mic: default 16000 if the device offers it, else 48000, "
                    + "else its first rate. A WAV file has its own.")
    Integer sampleRate;

    @Option(names = "--channels", paramLabel = "N",
            description = "Channels. Synth and stdin: default 1. Mic: default 1 if the device offers it, else its fewest.")
    Integer channels;

    @Option(names = "--sample-format", paramLabel = "FMT",
            description = "Synth and stdin: s16 (16-bit little-endian PCM) or f32 (32-bit little-endian float); default f32. "
                    + "Mic: the device's format, s16, s16le, s16be, s8, u8, s24[le|be], s32[le|be] or f32; default 16-bit if "
                    + "offered (sent as s16), other sizes are sent as f32.")
    String sampleFormat;

    @Option(names = {"-d", "--device"}, paramLabel = "N|NAME",
            description = "Mic: the input device, by number or part of its name (see `audiosockets devices`). Default: the first.")
    String device;

    @Option(names = "--loop", description = "Play a WAV file over and over instead of ending with it.")
    boolean loop;

    @Option(names = "--seconds", paramLabel = "S",
            description = "Stop after S seconds of audio. Default: until the source ends or Ctrl-C.")
    Double seconds;

    /** Opens the source these options describe, limited to {@code --seconds} if given. */
    AudioSource open(InputStream stdin) throws IOException {
        if (seconds != null && !(seconds > 0 && seconds < 1e9)) {
            throw new IllegalArgumentException("--seconds " + seconds + ": expected a positive number of seconds");
        }
        AudioSource opened = openWhole(stdin);
        return seconds == null ? opened : new LimitedSource(opened, seconds);
    }

    private AudioSource openWhole(InputStream stdin) throws IOException {
        String spec = source.trim();
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.startsWith("wav:") || lower.endsWith(".wav")) {
            Path file = Path.of(lower.startsWith("wav:") ? spec.substring(4) : spec);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("--source " + spec + ": cannot read WAV file " + file.toAbsolutePath());
            }
            try {
                return new WavFileSource(file, true, loop);
            } catch (IOException e) {
                // The file is there but is not audio we can read: bad input, as a missing file is.
                String why = String.valueOf(e.getMessage());
                throw new IllegalArgumentException("--source " + spec + ": " + (why.startsWith(file + ": ")
                        ? why.substring(file.toString().length() + 2) : why), e);
            }
        }
        if (lower.equals("stdin") || lower.equals("-")) {
            return new PcmStreamSource(stdin, format(), "stdin");
        }
        if (lower.equals("mic") || lower.equals("microphone")) {
            return openMicrophone(spec);
        }
        if (device != null) {
            throw new IllegalArgumentException("--device " + device + ": only for --source mic (the source is " + spec + ")");
        }
        if (lower.equals("synth") || lower.startsWith("synth:")) {
            String[] parts = lower.split(":");
            String kind = parts.length > 1 ? parts[1] : "bursts";
            double hz = 440;
            if (parts.length > 2) {
                try {
                    hz = Double.parseDouble(parts[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--source " + spec + ": '" + parts[2] + "' is not a frequency in Hz");
                }
            }
            SyntheticSource.Waveform waveform = switch (kind) {
                case "sine" -> SyntheticSource.Waveform.SINE;
                case "noise" -> SyntheticSource.Waveform.NOISE;
                case "bursts" -> SyntheticSource.Waveform.BURSTS;
                default -> throw new IllegalArgumentException("--source " + spec + ": unknown synthetic signal '" + kind
                        + "'; expected sine, noise or bursts");
            };
            return new SyntheticSource(waveform, hz, 0.5, format(), true, Long.MAX_VALUE);
        }
        throw new IllegalArgumentException("--source " + spec + ": unknown source; expected one of: " + SOURCES);
    }

    private AudioSource openMicrophone(String spec) throws IOException {
        if (InputDevice.list().isEmpty()) {
            throw new IllegalArgumentException("--source " + spec + ": no audio input device on this machine (javax.sound.sampled "
                    + "lists none: no sound card, or no ALSA/PulseAudio device configured); " + NO_MIC_HINT);
        }
        try {
            return MicrophoneSource.builder().device(device).sampleRate(sampleRate).channels(channels).sampleFormat(sampleFormat).open();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--source " + spec + (device == null ? "" : " --device " + device) + ": "
                    + e.getMessage(), e);
        }
    }

    private StreamFormat format() {
        String name = sampleFormat == null ? "f32" : sampleFormat;
        int rate = sampleRate == null ? DEFAULT_RATE : sampleRate;
        int ch = channels == null ? 1 : channels;
        SampleFormat f = switch (name.toLowerCase(Locale.ROOT)) {
            case "s16", "s16le", "pcm16", "int16" -> SampleFormat.PCM_S16LE;
            case "f32", "f32le", "float", "float32" -> SampleFormat.FLOAT32LE;
            default -> throw new IllegalArgumentException("--sample-format " + sampleFormat + ": expected s16 or f32");
        };
        try {
            return new StreamFormat(rate, ch, f);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--samplerate " + rate + " --channels " + ch + ": " + e.getMessage(), e);
        }
    }
}
