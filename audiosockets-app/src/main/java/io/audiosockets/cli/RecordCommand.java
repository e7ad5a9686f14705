package io.audiosockets.cli;

import io.audiosockets.audio.AudioSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.client.CloseOnShutdown;
import io.audiosockets.kafka.KafkaBridge;
import io.audiosockets.kafka.KafkaRecorder;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audiosockets record}: streams a source to the mailman. The paper's {@code RecorderSocket}. */
@Command(name = "record", aliases = "recorder", description = "Capture audio and stream it to the mailman in chunks.")
final class RecordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network;

    @Mixin
    ClientTlsOptions clientTls;

    @Mixin
    SourceOptions sourceOptions;

    @Option(names = "--stream", paramLabel = "NAME", defaultValue = RecorderOptions.DEFAULT_STREAM,
            description = "Stream name processors see (letters, digits, '.', '_', '-'). Default: ${DEFAULT-VALUE}.")
    String stream;

    @Option(names = "--period", paramLabel = "SECONDS", defaultValue = "0.5",
            description = "Chunk length in seconds, as in the paper (0.02 works). Default: ${DEFAULT-VALUE}.")
    double period;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "Record straight to Kafka (HOST:PORT[,HOST:PORT...]) instead of to the mailman: one record per chunk, "
                    + "key = the stream, seqs from --first-seq. The mailman options are then unused.")
    String kafka;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = KafkaBridge.DEFAULT_TOPIC,
            description = "With --kafka: the topic. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--first-seq", paramLabel = "N", defaultValue = "0",
            description = "With --kafka: the first chunk's sequence number (give the one after the last in the topic to go on "
                    + "with a stream). Default: ${DEFAULT-VALUE}.")
    long firstSeq;

    @Option(names = "--list-devices", description = "List the audio input devices (as `audiosockets devices`) and exit.")
    boolean listDevices;

    @Override
    public Integer call() throws Exception {
        if (listDevices) {
            DevicesCommand.print(spec.commandLine().getOut(), spec.commandLine().getErr());
            return 0;
        }
        if (kafka != null) {
            return recordToKafka();
        }
        NetworkConfig config = network.load(clientTls);
        AudioSource source = sourceOptions.open(System.in);
        RecorderOptions options;
        try {
            options = RecorderOptions.builder().stream(stream).period(Seconds.of("--period", period)).config(config).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((e.getMessage().startsWith("--") ? "" : "--stream " + stream + " --period " + period
                    + ": ") + e.getMessage(), e);
        }
        Recorder recorder = new Recorder(source, options);
        // Ctrl-C closes it through the recorder's own shutdown hook. A source that fails (a device unplugged)
        // throws, after the recorder is closed: exit 1.
        recorder.start();
        if (recorder.framesLost() > 0) {
            spec.commandLine().getErr().println("audiosockets record: the source lost " + recorder.framesLost() + " frames ("
                    + recorder.framesLost() / (double) source.format().sampleRate() + " s) to overruns; processors saw them as gaps");
        }
        long lost = recorder.chunksUnacknowledged() + recorder.chunksDropped();
        if (lost > 0) {
            spec.commandLine().getErr().println("audiosockets record: " + lost + " of " + recorder.chunksCaptured()
                    + " chunks never reached the mailman at " + config.host() + ":" + config.port()
                    + " (see the log above); start the mailman first, or keep the recorder running until it comes");
            return 1;
        }
        return 0;
    }

    /** {@code record --kafka}: the source straight to a Kafka topic, no mailman. */
    private int recordToKafka() throws Exception {
        KafkaRecorder.Options options;
        try {
            options = new KafkaRecorder.Options(stream, Seconds.of("--period", period), kafka, topic, firstSeq, Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kafka " + kafka + " --topic " + topic + " --stream " + stream + " --first-seq "
                    + firstSeq + ": " + e.getMessage(), e);
        }
        AudioSource source = sourceOptions.open(System.in);
        KafkaRecorder recorder = new KafkaRecorder(source, options);
        CloseOnShutdown hook = CloseOnShutdown.install("kafka recorder '" + stream + "'", recorder);
        try {
            recorder.start();
        } finally {
            hook.close();
        }
        long unwritten = recorder.chunksCaptured() - recorder.recordsWritten();
        if (unwritten > 0) {
            spec.commandLine().getErr().println("audiosockets record: " + unwritten + " of " + recorder.chunksCaptured()
                    + " chunks never reached topic '" + topic + "' at " + kafka + " (see the log above); start Kafka first, or keep "
                    + "the recorder running until it comes");
            return 1;
        }
        return 0;
    }
}
