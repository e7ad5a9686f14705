package io.audiosockets.loadtest;

import io.audiosockets.client.IoThreads;
import io.audiosockets.kafka.KafkaBridge;
import io.audiosockets.kafka.KafkaProcessorRunner;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.StartPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The way through Kafka for one case of {@code bench kafka}: a fresh topic, the mailman's
 * {@link KafkaBridge} writing the case's streams to it, and consumer groups of one member each
 * ({@link KafkaProcessorRunner}) handing every record to a {@link BenchProcessor}, which measures it
 * as the direct processors are measured. Opened before the recorders start, closed after the case.
 */
final class KafkaPath implements AutoCloseable {
    /**
     * The bridge's window, chunks per stream in flight to it: the records it pipelines into Kafka per stream. The
     * default PROCESSOR_WINDOW (64) bounds one stream to 64 chunks per Kafka round trip; real-time streams need far
     * less, a fast one (fan-out) more.
     */
    static final int BRIDGE_WINDOW = 1024;
    /** The most partitions a case's topic gets: one per stream up to this. */
    static final int MAX_PARTITIONS = 12;
    private static final Duration READY = Duration.ofSeconds(60);

    private final String topic;
    private final int partitions;
    private final KafkaBridge bridge;
    private final List<BenchProcessor> consumers = new ArrayList<>();
    private final List<KafkaProcessorRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private KafkaPath(String topic, int partitions, KafkaBridge bridge) {
        this.topic = topic;
        this.partitions = partitions;
        this.bridge = bridge;
    }

    /**
     * Creates topic {@code base} (a partition per stream, at most {@value #MAX_PARTITIONS}), starts
     * {@code consumerCount} consumer groups on it and then the bridge, and waits until all are
     * ready, so that the case's first chunk already has the whole way open.
     *
     * @param latencies where the consumers' latencies go, or null not to measure them
     * @param onProgress called after every chunk or gap a consumer finishes
     */
    static KafkaPath open(RunContext ctx, IoThreads loops, String bootstrap, String base, List<String> streams, int consumerCount,
                          Latencies latencies, Runnable onProgress) throws InterruptedException, TimeoutException {
        int partitions = Math.max(1, Math.min(streams.size(), MAX_PARTITIONS));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(base, Optional.of(partitions), Optional.empty()))).all()
                    .get(READY.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("bench kafka: cannot create topic '" + base + "' on " + bootstrap + ": "
                    + e.getCause().getMessage(), e);
        }
        KafkaBridge bridge = new KafkaBridge(ProcessorOptions.builder(base + "-bridge").config(ctx.client())
                .subscribe(streams.toArray(String[]::new)).start(StartPosition.LIVE).window(BRIDGE_WINDOW).ioThreads(loops).shutdownHook(false).build(),
                bootstrap, base);
        KafkaPath path = new KafkaPath(base, partitions, bridge);
        try {
            for (int i = 0; i < consumerCount; i++) {
                BenchProcessor p = Clients.processor(ctx.client(), loops, base + "-k" + i, streams, ctx.handOffs(), latencies,
                        Duration.ZERO, onProgress, null);
                KafkaProcessorRunner runner = new KafkaProcessorRunner(p, bootstrap, base + "-g" + i, base, StartPosition.OLDEST);
                Thread t = new Thread(runner::run, "bench-kafka-consumer-" + i);
                t.setDaemon(true);
                path.consumers.add(p);
                path.runners.add(runner);
                path.threads.add(t);
                t.start();
            }
            long deadline = System.nanoTime() + READY.toNanos();
            for (KafkaProcessorRunner r : path.runners) {
                try {
                    r.assigned().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("bench kafka: a consumer of '" + base + "' failed: " + e.getCause(), e);
                }
            }
            Clients.startAll(List.of(bridge));
            return path;
        } catch (InterruptedException | TimeoutException | RuntimeException e) {
            path.close();
            throw e;
        }
    }

    /** The consumers' processors, one per group. */
    List<BenchProcessor> consumers() {
        return consumers;
    }

    /** The bridge (a processor of the mailman). */
    KafkaBridge bridge() {
        return bridge;
    }

    /** The figures of the case: what the consumers should have got and what they got. */
    KafkaFigures figures(long expectedPerConsumer, Percentiles latency) {
        long delivered = 0;
        long gaps = 0;
        for (BenchProcessor p : consumers) {
            delivered += p.chunks();
            gaps += p.gapChunks();
        }
        long expected = expectedPerConsumer * consumers.size();
        return new KafkaFigures(topic, partitions, bridge.recordsWritten(), bridge.retries(), consumers.size(), expected, delivered,
                expected - delivered + gaps, latency);
    }

    /** Stops the bridge and the consumers (each commits and leaves its group). */
    @Override
    public void close() {
        bridge.close();
        runners.forEach(KafkaProcessorRunner::close);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
