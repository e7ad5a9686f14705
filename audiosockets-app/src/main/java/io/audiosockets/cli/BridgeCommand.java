package io.audiosockets.cli;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.kafka.KafkaBridge;
import io.audiosockets.processor.ProcessorOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code audiosockets bridge --kafka BOOTSTRAP}: the bridge into Kafka ({@link KafkaBridge}), a
 * processor of the mailman that writes every chunk of its streams to a Kafka topic, until Ctrl-C.
 */
@Command(name = "bridge", description = "Write every chunk the mailman receives (or of --streams) to a Kafka topic, one record "
        + "per chunk (key = stream, value = its AUDIO frame, headers audiosockets.stream/seq/capture_ns). A chunk is "
        + "acknowledged to the mailman only once Kafka has it; while Kafka is down the bridge retries and the mailman holds "
        + "the chunks (RETENTION_SECONDS), older ones are logged as gaps.")
final class BridgeCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Mixin
    ClientTlsOptions clientTls;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", required = true,
            description = "The Kafka cluster: HOST:PORT[,HOST:PORT...].")
    String kafka;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = KafkaBridge.DEFAULT_TOPIC,
            description = "The topic to write to (it must exist, or the cluster must create topics on first use). "
                    + "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = {"--streams", "--stream"}, paramLabel = "NAME", split = ",",
            description = "Streams to bridge (repeat or separate with commas). Default: every stream, present and future.")
    List<String> streams = List.of();

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", defaultValue = "kafka-bridge",
            description = "The bridge's processor name: the mailman resumes this name where it stopped. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--start", paramLabel = "WHERE", defaultValue = "resume",
            description = "Where to start in each stream: resume (where this name stopped, else live), live, oldest (all the "
                    + "mailman retains), or a duration back such as 10s. Default: ${DEFAULT-VALUE}.")
    String start;

    @Option(names = "--window", paramLabel = "N",
            description = "Chunks per stream the mailman sends ahead of the bridge's acknowledgements. Default: PROCESSOR_WINDOW (64).")
    Integer window;

    @Override
    public Integer call() {
        NetworkConfig config = network.load(clientTls);
        ProcessorOptions.Builder b = ProcessorOptions.builder(name).config(config).subscribe(streams.toArray(String[]::new))
                .start(ProcessorFlags.startPosition(start));
        ProcessorFlags.window(b, window);
        KafkaBridge bridge;
        try {
            bridge = new KafkaBridge(b.build(), kafka, topic);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kafka " + kafka + " --topic " + topic + ": " + e.getMessage(), e);
        }
        bridge.start(); // until Ctrl-C or SIGTERM, through the processor's own shutdown hook
        return 0;
    }
}
