package io.audiosockets.cli;

import io.audiosockets.builtin.ArchiveProcessor;
import io.audiosockets.builtin.LevelProcessor;
import io.audiosockets.builtin.LineSink;
import io.audiosockets.builtin.LogMelProcessor;
import io.audiosockets.builtin.PrintProcessor;
import io.audiosockets.builtin.VadProcessor;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.dsp.VoiceActivityDetector;
import io.audiosockets.dsp.WavArchive;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.StartPosition;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code audiosockets process [options] KIND}: runs one built-in processor (the paper's
 * {@code BaseProcessorSocket} subclasses) until Ctrl-C. Each kind is a subcommand with its own
 * options; the options shared by all come before the kind.
 */
@Command(name = "process", aliases = "processor", description = "Run a built-in processor: print, level, vad, logmel or archive.",
        subcommands = {ProcessCommand.Print.class, ProcessCommand.Level.class, ProcessCommand.Vad.class, ProcessCommand.LogMel.class,
            ProcessCommand.Archive.class})
final class ProcessCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Mixin
    ClientTlsOptions clientTls;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME",
            description = "Processor name: the mailman remembers where this name stopped reading and resumes it there. "
                    + "Default: the kind (print, level...).")
    String name;

    @Option(names = "--stream", paramLabel = "NAME", split = ",",
            description = "Streams to receive (repeat or separate with commas). Default: every stream, present and future.")
    List<String> streams = List.of();

    @Option(names = "--start", paramLabel = "WHERE", defaultValue = "resume",
            description = "Where to start in each stream: resume (where this name stopped, else live), live, oldest (all the "
                    + "mailman retains), or a duration back such as 10s. Default: ${DEFAULT-VALUE}.")
    String start;

    @Option(names = "--window", paramLabel = "N",
            description = "Chunks in flight per stream before acknowledgement; 1 is the paper's stop-and-wait. Default: PROCESSOR_WINDOW (64).")
    Integer window;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing the kind of processor: print, level, vad, logmel or archive");
    }

    private ProcessorOptions options(String kind) {
        NetworkConfig config = network.load(clientTls);
        ProcessorOptions.Builder b = ProcessorOptions.builder(name == null ? kind : name).config(config)
                .subscribe(streams.toArray(String[]::new)).start(startPosition());
        if (window != null) {
            if (window < 1 || window > 65_535) {
                throw new IllegalArgumentException("--window " + window + ": expected 1..65535 chunks");
            }
            b.window(window);
        }
        return b.build();
    }

    private StartPosition startPosition() {
        String s = start.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "resume" -> StartPosition.RESUME;
            case "live" -> StartPosition.LIVE;
            case "oldest" -> StartPosition.OLDEST;
            default -> StartPosition.secondsBack(Duration.ofMillis(Math.round(secondsBack(s) * 1000)));
        };
    }

    private double secondsBack(String s) {
        try {
            double seconds = Double.parseDouble(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
            if (seconds >= 0 && seconds < 1e9) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // the error below says what is expected
        }
        throw new IllegalArgumentException("--start " + start + ": expected resume, live, oldest or seconds back such as 10s");
    }

    /** Runs {@code processor} until Ctrl-C, SIGTERM, or its output is closed (exit status 141, as for SIGPIPE). */
    private int run(BaseProcessor processor) {
        processor.start(); // Ctrl-C closes it through the processor's own shutdown hook
        return 0;
    }

    private LineSink out() {
        return stdout(spec.commandLine().getOut());
    }

    /**
     * Lines to the command's stdout that end the JVM with status 141, as SIGPIPE does, once the
     * reader is gone. The exit runs on a thread of its own: the shutdown hooks close the
     * processors, whose worker thread is the one writing.
     */
    static LineSink stdout(PrintWriter out) {
        return new LineSink(out, () -> new Thread(() -> System.exit(141), "output-closed").start());
    }

    /** {@code process print}. */
    @Command(name = "print", description = "Print a line per chunk: stream, seq, capture time, format, RMS level, latency.")
    static final class Print implements Callable<Integer> {
        @ParentCommand
        ProcessCommand parent;

        @Override
        public Integer call() {
            return parent.run(new PrintProcessor(parent.options("print"), parent.out()));
        }
    }

    /** {@code process level}. */
    @Command(name = "level", description = "Level meter: RMS and peak in dBFS per chunk and channel, with a bar.")
    static final class Level implements Callable<Integer> {
        @ParentCommand
        ProcessCommand parent;

        @Override
        public Integer call() {
            return parent.run(new LevelProcessor(parent.options("level"), parent.out()));
        }
    }

    /** {@code process vad}. */
    @Command(name = "vad", description = "Voice activity: a line when speech starts and ends, with sample-accurate capture times.")
    static final class Vad implements Callable<Integer> {
        @ParentCommand
        ProcessCommand parent;

        @Option(names = "--frame-ms", paramLabel = "MS", defaultValue = "20", description = "Analysis frame: 10, 20 or 30 ms. Default: ${DEFAULT-VALUE}.")
        int frameMs;

        @Option(names = "--threshold-db", paramLabel = "DB", defaultValue = "10",
                description = "How far above the adaptive noise floor speech must be. Default: ${DEFAULT-VALUE}.")
        double thresholdDb;

        @Option(names = "--hangover-ms", paramLabel = "MS", defaultValue = "200",
                description = "Quiet time before speech is declared over. Default: ${DEFAULT-VALUE}.")
        double hangoverMs;

        @Option(names = "--min-speech-ms", paramLabel = "MS", defaultValue = "100",
                description = "Shorter bursts are not speech. Default: ${DEFAULT-VALUE}.")
        double minSpeechMs;

        @Override
        public Integer call() {
            // The detector would take any frame, but its thresholds and noise window are tuned for these three.
            if (frameMs != 10 && frameMs != 20 && frameMs != 30) {
                throw new IllegalArgumentException("--frame-ms " + frameMs + ": expected 10, 20 or 30 (the analysis frame in ms)");
            }
            VoiceActivityDetector.Config config;
            try {
                config = VoiceActivityDetector.Config.DEFAULT.withFrameMs(frameMs).withThresholdDb(thresholdDb)
                        .withHangoverMs(hangoverMs).withMinSpeechMs(minSpeechMs);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--frame-ms/--threshold-db/--hangover-ms/--min-speech-ms: " + e.getMessage(), e);
            }
            return parent.run(new VadProcessor(parent.options("vad"), config, parent.out()));
        }
    }

    /** {@code process logmel}. */
    @Command(name = "logmel", description = "The paper's log-mel spectrogram (25 ms windows, 10 ms hop), streamed across chunks.")
    static final class LogMel implements Callable<Integer> {
        @ParentCommand
        ProcessCommand parent;

        @Option(names = "--mels", paramLabel = "N", defaultValue = "" + LogMelSpectrogram.DEFAULT_N_MELS,
                description = "Mel bands. Default: ${DEFAULT-VALUE}.")
        int mels;

        @Option(names = "--csv", paramLabel = "FILE", description = "Also write every column to FILE: stream,column,time_s,mel0,...")
        Path csv;

        @Override
        public Integer call() {
            if (mels < 1 || mels > 1024) {
                throw new IllegalArgumentException("--mels " + mels + ": expected 1..1024 mel bands");
            }
            ProcessorOptions options = parent.options("logmel");
            BufferedWriter writer = null;
            if (csv != null) {
                try {
                    writer = LogMelProcessor.openCsv(csv, mels);
                } catch (IOException e) {
                    throw new IllegalArgumentException("--csv " + csv + ": cannot create the file (" + e + ")", e);
                }
            }
            return parent.run(new LogMelProcessor(options, mels, writer, parent.out()));
        }
    }

    /** {@code process archive}. */
    @Command(name = "archive", description = "Write every stream to WAV files, a new file every --rotate seconds and after every gap.")
    static final class Archive implements Callable<Integer> {
        @ParentCommand
        ProcessCommand parent;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "archive", description = "Directory for the files. Default: ${DEFAULT-VALUE}.")
        Path dir;

        @Option(names = "--rotate", paramLabel = "SECONDS", defaultValue = "60", description = "Audio per file. Default: ${DEFAULT-VALUE}.")
        double rotate;

        @Override
        public Integer call() {
            ProcessorOptions options = parent.options("archive");
            WavArchive archive;
            try {
                archive = new WavArchive(dir, Seconds.of("--rotate", rotate));
            } catch (IOException e) {
                throw new IllegalArgumentException("--dir " + dir + ": cannot use it as the archive directory (" + e + ")", e);
            }
            return parent.run(new ArchiveProcessor(options, archive, parent.out()));
        }
    }
}
