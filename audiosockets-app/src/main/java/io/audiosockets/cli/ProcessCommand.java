package io.audiosockets.cli;

import io.audiosockets.builtin.ArchiveProcessor;
import io.audiosockets.builtin.LevelProcessor;
import io.audiosockets.builtin.LineSink;
import io.audiosockets.builtin.LogMelProcessor;
import io.audiosockets.builtin.PrintProcessor;
import io.audiosockets.builtin.VadProcessor;
import io.audiosockets.builtin.VadResultPublisher;
import io.audiosockets.builtin.WavArchive;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.dsp.VoiceActivityDetector;
import io.audiosockets.kafka.KafkaProcessorRunner;
import io.audiosockets.ml.OnnxModel;
import io.audiosockets.ml.SileroVad;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.internal.protocol.Names;
import io.audiosockets.protocol.StartPosition;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "Read the chunks from Kafka (host:port[,host:port...]) as a member of a consumer group instead of from "
                    + "the mailman: Kafka spreads the topic's partitions (streams) over the group's members; offsets are committed "
                    + "after processData; --start applies where the group has no committed offset.")
    String kafka;

    @Option(names = "--group", paramLabel = "NAME",
            description = "With --kafka: the consumer group; members under one group share the streams. Default: the processor's name.")
    String group;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "audiosockets",
            description = "With --kafka: the topic the chunks are in. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing the kind of processor: print, level, vad, logmel or archive");
    }

    private ProcessorOptions options(String kind) {
        if (kafka != null) {
            checkKafkaFlags();
        } else if (group != null || spec.commandLine().getParseResult().hasMatchedOption("--topic")) {
            throw new ParameterException(spec.commandLine(), "--group and --topic apply to --kafka only");
        }
        NetworkConfig config = network.load(clientTls);
        ProcessorOptions.Builder b = ProcessorOptions.builder(name == null ? kind : name).config(config)
                .subscribe(streams.toArray(String[]::new)).start(startPosition());
        ProcessorFlags.window(b, window);
        return b.build();
    }

    private StartPosition startPosition() {
        return ProcessorFlags.startPosition(start);
    }

    // Flags of the mailman's that mean nothing to a consumer group: an error rather than a silent no.
    private void checkKafkaFlags() {
        if (!streams.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--stream does not apply to --kafka: the group gets every stream of "
                    + "--topic " + topic + " (give each set of streams a topic of its own)");
        }
        if (window != null) {
            throw new ParameterException(spec.commandLine(), "--window does not apply to --kafka (offsets are committed after each poll)");
        }
    }

    /** Runs {@code processor} until Ctrl-C, SIGTERM, or its output is closed (exit status 141, as for SIGPIPE). */
    private int run(BaseProcessor processor) {
        if (kafka != null) {
            KafkaProcessorRunner runner = new KafkaProcessorRunner(processor, kafka, group == null ? processor.name() : group, topic,
                    startPosition());
            // Ctrl-C: the chunk in progress finishes, what was processed is committed, onStop runs.
            Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "kafka-processor-stop"));
            runner.run();
            return 0;
        }
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

        @Option(names = "--model", paramLabel = "MODEL", defaultValue = "energy",
                description = "The detector: energy (an adaptive energy threshold, no model), silero (the built-in Silero VAD v5 "
                        + "neural network: tells speech from music, noise and claps), or FILE.onnx (a Silero-compatible model). "
                        + "Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--frame-ms", paramLabel = "MS", description = "energy: analysis frame, 10, 20 or 30 ms. Default: 20.")
        Integer frameMs;

        @Option(names = "--threshold-db", paramLabel = "DB",
                description = "energy: how far above the adaptive noise floor speech must be. Default: 10.")
        Double thresholdDb;

        @Option(names = "--hangover-ms", paramLabel = "MS", description = "energy: quiet time before speech is declared over. Default: 200.")
        Double hangoverMs;

        @Option(names = "--min-speech-ms", paramLabel = "MS",
                description = "Shorter speech is not reported. Default: 100 (energy), 250 (silero).")
        Double minSpeechMs;

        @Option(names = "--threshold", paramLabel = "P", description = "silero: speech starts at a probability of at least P. Default: 0.5.")
        Double threshold;

        @Option(names = "--neg-threshold", paramLabel = "P",
                description = "silero: speech may end below P. Default: threshold - 0.15 (at least 0.01).")
        Double negThreshold;

        @Option(names = "--min-silence-ms", paramLabel = "MS", description = "silero: silence that ends speech. Default: 100.")
        Double minSilenceMs;

        @Option(names = "--speech-pad-ms", paramLabel = "MS", description = "silero: padding on each side of speech. Default: 30.")
        Double speechPadMs;

        @Option(names = "--max-lag-ms", paramLabel = "MS",
                description = "silero: when chunks arrive more than MS behind real time, skip to the newest audio and print "
                        + "exactly what was skipped. Default: 2000.")
        Double maxLagMs;

        @Option(names = "--publish", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Also publish the events as a result stream per audio stream, STREAM + --publish-suffix, which other "
                        + "processors subscribe to (PROTOCOL.md §9). --no-publish: only print them. Default: publish.")
        boolean publish;

        @Option(names = "--publish-suffix", paramLabel = "SUFFIX",
                description = "The result streams' names: the audio stream's name and this. Default: '.' and the processor's "
                        + "name (mic.vad for the default name vad), so that two detectors under different names never collide.")
        String publishSuffix;

        @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
                description = "silero: cpu or cuda (falls back to the CPU with a log line where CUDA is not there). Default: ${DEFAULT-VALUE}.")
        String device;

        @Override
        public Integer call() {
            VadProcessor vad = "energy".equals(model) ? energy() : silero();
            String suffix = publishSuffix != null ? publishSuffix : "." + vad.name();
            if (publish && !Names.isValid("s" + suffix)) {
                throw new IllegalArgumentException("--publish-suffix " + suffix + ": the result streams' names would break the "
                        + "name rule (1 to 64 of A-Z a-z 0-9 . _ -)");
            }
            if (publish && parent.kafka != null) {
                // The result streams are the mailman's (PROTOCOL.md §9); a consumer group has none to publish to.
                publish = false;
                parent.spec.commandLine().getErr().println("process vad --kafka: the events are printed, not published as result streams "
                        + "(that needs a mailman)");
            }
            if (publish) {
                vad.addSink(new VadResultPublisher(vad.options().config(), suffix));
            }
            return parent.run(vad);
        }

        private VadProcessor energy() {
            for (Object[] flag : new Object[][] {{"--threshold", threshold}, {"--neg-threshold", negThreshold},
                {"--min-silence-ms", minSilenceMs}, {"--speech-pad-ms", speechPadMs}, {"--max-lag-ms", maxLagMs}}) {
                if (flag[1] != null) {
                    throw new IllegalArgumentException(flag[0] + ": applies to --model silero or FILE.onnx, not to --model energy");
                }
            }
            int frame = frameMs == null ? 20 : frameMs;
            // The detector would take any frame, but its thresholds and noise window are tuned for these three.
            if (frame != 10 && frame != 20 && frame != 30) {
                throw new IllegalArgumentException("--frame-ms " + frame + ": expected 10, 20 or 30 (the analysis frame in ms)");
            }
            VoiceActivityDetector.Config config;
            try {
                config = VoiceActivityDetector.Config.DEFAULT.withFrameMs(frame)
                        .withThresholdDb(thresholdDb == null ? 10 : thresholdDb)
                        .withHangoverMs(hangoverMs == null ? 200 : hangoverMs)
                        .withMinSpeechMs(minSpeechMs == null ? 100 : minSpeechMs);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--frame-ms/--threshold-db/--hangover-ms/--min-speech-ms: " + e.getMessage(), e);
            }
            return new VadProcessor(parent.options("vad"), config, parent.out());
        }

        private VadProcessor silero() {
            for (Object[] flag : new Object[][] {{"--frame-ms", frameMs}, {"--threshold-db", thresholdDb}, {"--hangover-ms", hangoverMs}}) {
                if (flag[1] != null) {
                    throw new IllegalArgumentException(flag[0] + ": applies to --model energy only");
                }
            }
            SileroVad.Config d = SileroVad.Config.DEFAULT;
            SileroVad.Config config;
            try {
                config = new SileroVad.Config(threshold == null ? d.threshold() : threshold,
                        negThreshold == null ? d.negThreshold() : negThreshold, minSpeechMs == null ? d.minSpeechMs() : minSpeechMs,
                        minSilenceMs == null ? d.minSilenceMs() : minSilenceMs, speechPadMs == null ? d.speechPadMs() : speechPadMs,
                        d.overload(), maxLagMs == null ? d.maxLagMs() : maxLagMs);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--threshold/--neg-threshold/--min-speech-ms/--min-silence-ms/--speech-pad-ms/"
                        + "--max-lag-ms: " + e.getMessage(), e);
            }
            OnnxModel.Device dev = switch (device.toLowerCase(Locale.ROOT)) {
                case "cpu" -> OnnxModel.Device.CPU;
                case "cuda" -> OnnxModel.Device.CUDA;
                default -> throw new IllegalArgumentException("--device " + device + ": expected cpu or cuda");
            };
            if (!"silero".equals(model) && !model.endsWith(".onnx")) {
                throw new IllegalArgumentException("--model " + model + ": expected energy, silero or the path of a .onnx file");
            }
            // Loaded before connecting: a bad model file is an error at once, not after the first chunk.
            OnnxModel loaded = "silero".equals(model) ? SileroVad.loadBuiltIn(dev) : SileroVad.load(Path.of(model), dev);
            return new VadProcessor(parent.options("vad"), loaded, config, parent.out());
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
