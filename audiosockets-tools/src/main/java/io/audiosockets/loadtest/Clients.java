package io.audiosockets.loadtest;

import io.audiosockets.recorder.ReplayBudget;
import io.audiosockets.client.ClientListener;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.processor.ProcessorThreads;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.client.IoThreads;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Building, starting and stopping the benchmarks' recorders and processors. */
final class Clients {
    /** How long a client has to connect. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** How long processors have, after the recorders stop, to finish the chunks still in flight. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Clients closed at once by {@link #closeAll}. */
    static final int CLOSERS = 32;
    /** The longest {@link #closeAll} waits for all of them. */
    static final Duration CLOSE_ALL_TIMEOUT = Duration.ofSeconds(120);

    private Clients() {
    }

    /** A benchmark processor named {@code name}, subscribed to {@code streams}, starting from the first chunk of new streams. */
    static BenchProcessor processor(NetworkConfig config, IoThreads loops, String name, List<String> streams, HandOffs handOffs,
                                    Latencies latencies, Duration work, Runnable onProgress, ClientListener listener) {
        return processor(config, loops, null, name, streams, handOffs, latencies, work, onProgress, listener);
    }

    /**
     * A benchmark processor as above whose code runs on {@code userThreads}, shared with other processors, or on a
     * thread of its own if null.
     */
    static BenchProcessor processor(NetworkConfig config, IoThreads loops, ProcessorThreads userThreads, String name,
                                    List<String> streams, HandOffs handOffs, Latencies latencies, Duration work,
                                    Runnable onProgress, ClientListener listener) {
        ProcessorOptions options = ProcessorOptions.builder(name).config(config).subscribe(streams.toArray(String[]::new))
                .start(StartPosition.LIVE).ioThreads(loops).processorThreads(userThreads).listener(listener).build();
        return new BenchProcessor(options, handOffs, latencies, work, onProgress);
    }

    /**
     * A recorder of {@code source} as stream {@code stream}. Its outbox is sized so that it can
     * never drop a chunk in a benchmark (the sources are paced or credit-gated far below it); what
     * the mailman has acknowledged is held to the run's {@code replay} budget, shared by all its
     * recorders, so that a thousand of them do not keep an hour of audio each.
     */
    static Recorder recorder(NetworkConfig config, IoThreads loops, ReplayBudget replay, String stream, BenchSource source,
                             int chunkSamples, ClientListener listener) {
        NetworkConfig big = config.toBuilder().recorderBuffer(Duration.ofHours(1)).build();
        return new Recorder(source, RecorderOptions.builder().stream(stream).period(BenchSource.chunkDuration(chunkSamples))
                .config(big).ioThreads(loops).replayBudget(replay).listener(listener).build());
    }

    /** Starts every processor and waits until each is registered with the mailman. */
    static void startAll(Collection<? extends BaseProcessor> processors) throws InterruptedException, TimeoutException {
        processors.forEach(BaseProcessor::startAsync);
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        for (BaseProcessor p : processors) {
            try {
                p.connected().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("processor '" + p.name() + "' could not connect: " + e.getCause().getMessage(), e);
            }
        }
    }

    /** Waits until every processor has finished (processed or learnt missing) {@code expected} chunks. */
    static void awaitDone(List<BenchProcessor> processors, long expected) throws InterruptedException, TimeoutException {
        Waits.until(() -> processors.stream().allMatch(p -> p.done() >= expected), DRAIN_TIMEOUT,
                "processors finishing the " + expected + " chunks sent");
    }

    /**
     * Closes every client; one that fails to close does not keep the others open. Many clients
     * are closed {@value #CLOSERS} at a time: each close waits for its goodbye to be answered (and
     * a recorder for its last ACK), which a thousand clients in turn would spend minutes on.
     */
    static void closeAll(Collection<? extends AutoCloseable> clients) {
        if (clients.size() <= 4) {
            clients.forEach(Clients::closeQuietly);
            return;
        }
        ExecutorService closers = Executors.newFixedThreadPool(Math.min(CLOSERS, clients.size()), r -> {
            Thread t = new Thread(r, "bench-closer");
            t.setDaemon(true);
            return t;
        });
        try {
            clients.forEach(c -> closers.execute(() -> closeQuietly(c)));
        } finally {
            closers.shutdown();
            try {
                if (!closers.awaitTermination(CLOSE_ALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("closing " + clients.size() + " clients took more than "
                            + CLOSE_ALL_TIMEOUT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing at the end of a benchmark: the others must still be closed
        }
    }
}
