package io.audiosockets.loadtest;

import io.audiosockets.config.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a benchmark run is told: the workload, how long, which sizes, and the client
 * configuration. Lists give one case per value (fan-out: per chunk size and processor count).
 *
 * @param workload what to run
 * @param duration measured time per case (per phase for slow and crash)
 * @param warmup time before measuring, per case (JIT, connections, buffers); its chunks are checked but not timed
 * @param chunkSamples samples per chunk (16 kHz mono float32), one case per value
 * @param processors processors per case, one case per value (idle: the number of idle processors)
 * @param recorders recorders per case (latency, scale), one case per value
 * @param oneToOne latency, scale: each recorder has its own processor (processor count = recorder count)
 * @param slowFactor slow: the slow processor spends this many chunk durations per chunk
 * @param retention the mailman's retention when this tool starts it (empty: the workload's default)
 * @param clientThreads event loop threads shared by all clients; 0: one per client up to
 *     {@value #OWN_LOOPS_UP_TO} clients, then a shared group of one per core
 * @param clientConfig the clients' configuration (windows, timers); host and port are replaced by the target's
 * @param kafka kafka: the Kafka cluster's bootstrap servers ({@code HOST:PORT[,...]}); empty for the other workloads
 */
public record BenchSettings(Workload workload, Duration duration, Duration warmup, List<Integer> chunkSamples, List<Integer> processors,
                            List<Integer> recorders, boolean oneToOne, double slowFactor, Optional<Duration> retention,
                            int clientThreads, NetworkConfig clientConfig, Optional<String> kafka) {
    /** Beyond this many clients, they share one event loop group (a thread each would be the benchmark's bottleneck). */
    public static final int OWN_LOOPS_UP_TO = 64;
    /** Largest chunk: 10 s at 16 kHz (the recorder's longest period); any size lasts a whole number of ns (62.5 us a sample). */
    public static final int MAX_CHUNK_SAMPLES = 160_000;

    /** Validates every field, naming the option at fault. */
    public BenchSettings {
        Objects.requireNonNull(workload, "workload == null");
        Objects.requireNonNull(clientConfig, "clientConfig == null");
        Objects.requireNonNull(retention, "retention == null");
        Objects.requireNonNull(kafka, "kafka == null");
        if (workload == Workload.KAFKA && kafka.isEmpty()) {
            throw new IllegalArgumentException("the kafka workload needs a Kafka cluster: --kafka HOST:PORT");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration " + duration.toMillis() / 1000.0 + ": expected > 0 seconds");
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup " + warmup.toMillis() / 1000.0 + ": expected >= 0 seconds");
        }
        chunkSamples = List.copyOf(chunkSamples);
        processors = List.copyOf(processors);
        recorders = List.copyOf(recorders);
        check(chunkSamples, "--chunk-samples", 16, MAX_CHUNK_SAMPLES);
        check(processors, "--processors", 1, 100_000);
        check(recorders, "--recorders", 1, 100_000);
        if (!(slowFactor > 0) || Double.isInfinite(slowFactor)) {
            throw new IllegalArgumentException("--slow-factor " + slowFactor + ": expected a positive number");
        }
        if (clientThreads < 0) {
            throw new IllegalArgumentException("--client-threads " + clientThreads + ": expected >= 0 (0 = automatic)");
        }
    }

    /** Settings of a workload that needs no Kafka. */
    public BenchSettings(Workload workload, Duration duration, Duration warmup, List<Integer> chunkSamples, List<Integer> processors,
                         List<Integer> recorders, boolean oneToOne, double slowFactor, Optional<Duration> retention,
                         int clientThreads, NetworkConfig clientConfig) {
        this(workload, duration, warmup, chunkSamples, processors, recorders, oneToOne, slowFactor, retention, clientThreads,
                clientConfig, Optional.empty());
    }

    private static void check(List<Integer> values, String option, int min, int max) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException(option + ": expected at least one value");
        }
        for (int v : values) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(option + " " + v + ": expected " + min + ".." + max);
            }
        }
    }
}
