package io.audiosockets.cli;

import io.audiosockets.audio.AudioSource;
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
            + "ending in .wav), stdin (raw PCM: set --samplerate, --channels, --sample-format)";

    @Option(names = {"-s", "--source"}, paramLabel = "SOURCE", defaultValue = "synth",
            description = "Audio source: " + SOURCES + ". Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = {"--samplerate", "--rate"}, paramLabel = "HZ", defaultValue = "16000",
            description = "Sample rate of synth and stdin sources (a WAV file has its own). Default: ${DEFAULT-VALUE}.")
    int sampleRate;

    @Option(names = "--channels", paramLabel = "N", defaultValue = "1",
            description = "Channels of synth and stdin sources. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--sample-format", paramLabel = "FMT", defaultValue = "f32",
            description = "Sample format of synth and stdin sources: s16 (16-bit little-endian PCM) or f32 (32-bit little-endian "
                    + "float). Default: ${DEFAULT-VALUE}.")
    String sampleFormat;

    @Option(names = "--loop", description = "Play a WAV file over and over instead of ending with it.")
    boolean loop;

    @Option(names = "--seconds", paramLabel = "S",
            description = "Stop after S seconds of audio (synth sources and WAV files). Default: until the source ends or Ctrl-C.")
    Double seconds;

    /** Opens the source these options describe. */
    AudioSource open(InputStream stdin) throws IOException {
        String spec = source.trim();
        String lower = spec.toLowerCase(Locale.ROOT);
        if (seconds != null && !(seconds > 0 && seconds < 1e9)) {
            throw new IllegalArgumentException("--seconds " + seconds + ": expected a positive number of seconds");
        }
        if (lower.startsWith("wav:") || lower.endsWith(".wav")) {
            Path file = Path.of(lower.startsWith("wav:") ? spec.substring(4) : spec);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("--source " + spec + ": cannot read WAV file " + file.toAbsolutePath());
            }
            AudioSource wav = new WavFileSource(file, true, loop);
            return seconds == null ? wav : new LimitedSource(wav, seconds);
        }
        if (lower.equals("stdin") || lower.equals("-")) {
            return new PcmStreamSource(stdin, format(), "stdin");
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
            StreamFormat f = format();
            long total = seconds == null ? Long.MAX_VALUE : Math.max(1, Math.round(seconds * f.sampleRate()));
            return new SyntheticSource(waveform, hz, 0.5, f, true, total);
        }
        throw new IllegalArgumentException("--source " + spec + ": unknown source; expected one of: " + SOURCES);
    }

    private StreamFormat format() {
        SampleFormat f = switch (sampleFormat.toLowerCase(Locale.ROOT)) {
            case "s16", "s16le", "pcm16", "int16" -> SampleFormat.PCM_S16LE;
            case "f32", "f32le", "float", "float32" -> SampleFormat.FLOAT32LE;
            default -> throw new IllegalArgumentException("--sample-format " + sampleFormat + ": expected s16 or f32");
        };
        try {
            return new StreamFormat(sampleRate, channels, f);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--samplerate " + sampleRate + " --channels " + channels + ": " + e.getMessage(), e);
        }
    }
}
