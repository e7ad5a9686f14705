package io.audiosockets.kafka;

import io.audiosockets.protocol.StartPosition;
import java.nio.file.Path;
import java.util.Map;

/**
 * One replica of a consumer group in a JVM of its own, for ConsumerGroupTest:
 * {@code ReplicaMain BOOTSTRAP GROUP TOPIC FILE}: a {@link LineFileProcessor} writing to FILE, from the oldest record.
 * Prints "running" once the runner is built; SIGTERM closes it.
 */
public final class ReplicaMain {
    private ReplicaMain() {
    }

    /** Runs until SIGTERM or SIGKILL. */
    public static void main(String[] args) throws Exception {
        LineFileProcessor p = new LineFileProcessor("replica", Path.of(args[3]), 2);
        // A short session: the group notices a SIGKILLed member within seconds, not the default 45 s.
        KafkaProcessorRunner runner = new KafkaProcessorRunner(p, args[0], args[1], args[2], StartPosition.OLDEST,
                Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"));
        Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "replica-stop"));
        System.out.println("running");
        runner.run();
    }
}
