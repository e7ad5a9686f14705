package io.audiosockets.loadtest;

import io.audiosockets.client.IoThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The latency workload: for each R (and P), R recorders at real time and P processors, either
 * each processor on every stream, or ({@code --one-to-one}) processor i on stream i only.
 * Latency from each chunk's scheduled hand-off to {@code processData}; nothing may be lost.
 */
final class LatencyWorkload {
    private LatencyWorkload() {
    }

    static List<CaseResult> run(RunContext ctx) throws IOException, InterruptedException, TimeoutException {
        List<CaseResult> results = new ArrayList<>();
        BenchSettings s = ctx.settings();
        for (int samples : s.chunkSamples()) {
            for (int r : s.recorders()) {
                if (s.oneToOne()) {
                    results.add(runCase(ctx, samples, r, r));
                } else {
                    for (int p : s.processors()) {
                        results.add(runCase(ctx, samples, r, p));
                    }
                }
            }
        }
        return results;
    }

    private static LatencyResult runCase(RunContext ctx, int samples, int recorderCount, int processorCount)
            throws IOException, InterruptedException, TimeoutException {
        return runCase(ctx, samples, recorderCount, processorCount, null);
    }

    /**
     * One case; with {@code kafka} (bootstrap servers) the mailman also has the Kafka bridge on every stream, and a
     * consumer group of one member reads its topic and is measured beside the direct processors.
     */
    static LatencyResult runCase(RunContext ctx, int samples, int recorderCount, int processorCount, String kafka)
            throws IOException, InterruptedException, TimeoutException {
        boolean oneToOne = ctx.settings().oneToOne();
        String base = ctx.name("latency", samples, recorderCount, processorCount);
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < recorderCount; i++) {
            streams.add(base + "-r" + i);
        }
        Latencies latencies = new Latencies("measured");
        Latencies acks = new Latencies("measured");
        Latencies handoff = new Latencies("measured");
        IoThreads loops = ctx.loopsFor(recorderCount + processorCount);
        List<BenchProcessor> processors = new ArrayList<>();
        for (int i = 0; i < processorCount; i++) {
            List<String> subscribed = oneToOne ? List.of(streams.get(i)) : streams;
            processors.add(Clients.processor(ctx.client(), loops, ctx.processorThreadsFor(loops), base + "-p" + i, subscribed, ctx.handOffs(), latencies, Duration.ZERO,
                    () -> { }, null));
        }
        List<PacedRecorder> recorders = new ArrayList<>();
        Latencies viaKafka = new Latencies("measured");
        KafkaPath path = null;
        KafkaFigures kafkaFigures = null;
        DashboardWatcher watcher = null;
        WatchResult watched = null;
        RunContext.Snapshot before;
        RunContext.Snapshot after;
        long expected = 0;
        long captured = 0;
        long delivered = 0;
        long recorderLost = 0;
        try {
            watcher = ctx.watch();
            Clients.startAll(processors);
            if (kafka != null) {
                path = KafkaPath.open(ctx, loops, kafka, base + "-kafka", streams, 1, viaKafka, () -> { });
            }
            for (String stream : streams) {
                recorders.add(PacedRecorder.create(ctx.client(), loops, ctx.replayBudget(), stream, samples, acks, handoff, ctx.handOffs()));
            }
            // Spread the recorders' schedules over one chunk duration, as independent microphones would be.
            long spread = BenchSource.chunkDuration(samples).toNanos() / recorderCount;
            for (PacedRecorder r : recorders) {
                r.recorder().startAsync();
                LockSupport.parkNanos(spread);
            }
            long measureFrom = System.nanoTime() + ctx.settings().warmup().toNanos();
            latencies.startPhase(0, measureFrom);
            acks.startPhase(0, measureFrom);
            handoff.startPhase(0, measureFrom);
            viaKafka.startPhase(0, measureFrom);
            Waits.until(measureFrom);
            before = ctx.sample();
            if (watcher != null) {
                watcher.mark();
            }
            Waits.until(measureFrom + ctx.settings().duration().toNanos());
            after = ctx.sample();
            if (watcher != null) {
                watched = watcher.result();
                watcher.close();
            }
            recorders.forEach(PacedRecorder::stop);
            Clients.closeAll(recorders); // each sends what it has left and waits for the ACK
            for (PacedRecorder r : recorders) {
                captured += r.source().produced();
                recorderLost += r.lost();
            }
            for (int i = 0; i < processorCount; i++) {
                expected += oneToOne ? recorders.get(i).source().produced() : captured;
            }
            long need = expected;
            try {
                Waits.until(() -> total(processors) >= need, Clients.DRAIN_TIMEOUT, "processors finishing the chunks sent");
            } catch (TimeoutException e) {
                ctx.fail("latency, R=" + recorderCount + ", P=" + processorCount + ": " + e.getMessage());
            }
            if (path != null) {
                long all = captured;
                List<BenchProcessor> consumers = path.consumers();
                try {
                    Waits.until(() -> total(consumers) >= all, Clients.DRAIN_TIMEOUT, "the Kafka consumer finishing the chunks sent");
                } catch (TimeoutException e) {
                    ctx.fail("latency via Kafka, R=" + recorderCount + ": " + e.getMessage());
                }
                kafkaFigures = path.figures(captured, viaKafka.percentiles().get(0));
                if (kafkaFigures.lost() != 0) {
                    ctx.fail("latency via Kafka, R=" + recorderCount + ": " + kafkaFigures.lost() + " chunks lost (expected "
                            + kafkaFigures.expected() + ", got " + kafkaFigures.delivered() + ")");
                }
            }
            for (BenchProcessor p : processors) {
                delivered += p.chunks();
                if (p.outOfOrder() > 0) {
                    ctx.fail("latency, R=" + recorderCount + ", P=" + processorCount + ": processor " + p.name() + " saw "
                            + p.outOfOrder() + " chunks out of order");
                }
            }
        } finally {
            if (watcher != null) {
                watcher.close();
            }
            Clients.closeAll(recorders);
            Clients.closeAll(processors);
            if (path != null) {
                path.close();
            }
        }
        long lost = expected - delivered + recorderLost;
        if (lost != 0) {
            ctx.fail("latency, R=" + recorderCount + ", P=" + processorCount + ": " + lost + " chunks lost (expected " + expected
                    + " deliveries, got " + delivered + "; the recorders lost " + recorderLost + ")");
        }
        if (latencies.negativeCount() > 0) {
            ctx.note("latency, R=" + recorderCount + ", P=" + processorCount + ": " + latencies.negativeCount()
                    + " latencies came out negative and were counted as 0 (clock mismatch)");
        }
        return new LatencyResult(recorderCount, processorCount, oneToOne, samples, RelayRun.round3(after.secondsSince(before)), captured,
                expected, delivered, lost, latencies.percentiles().get(0), acks.percentiles().get(0), handoff.percentiles().get(0),
                after.benchSince(before), after.mailmanSince(before), watched, kafkaFigures);
    }

    private static long total(List<BenchProcessor> processors) {
        long sum = 0;
        for (BenchProcessor p : processors) {
            sum += p.done();
        }
        return sum;
    }
}
