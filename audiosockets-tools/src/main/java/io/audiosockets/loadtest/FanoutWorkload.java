package io.audiosockets.loadtest;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.client.IoThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The fan-out workload: for each chunk size and processor count, one recorder sends as fast as
 * the mailman accepts ({@link CreditGate}) to P processors for the measured interval; then the
 * raw relay runs the same case. Every processor must get every chunk.
 */
final class FanoutWorkload {
    private FanoutWorkload() {
    }

    /** Through Kafka: the most chunks the slowest consumer group may lag behind the bridge. */
    static final long KAFKA_LAG_BOUND = 100_000;

    /** The mailman configuration for this workload: retention large enough for the credit bound. */
    static NetworkConfig mailmanConfig(NetworkConfig base, BenchSettings s) {
        return base.toBuilder().retention(s.retention().orElse(Duration.ofMinutes(10))).retentionBytes(Math.max(base.retentionBytes(),
                256L * 1024 * 1024)).build();
    }

    static List<CaseResult> run(RunContext ctx) throws IOException, InterruptedException, TimeoutException {
        List<CaseResult> results = new ArrayList<>();
        for (int samples : ctx.settings().chunkSamples()) {
            for (int p : ctx.settings().processors()) {
                results.add(runCase(ctx, samples, p));
            }
        }
        return results;
    }

    /**
     * The most chunks a processor may lag behind the newest: half of what the mailman retains
     * (so flow control, not the retention, holds the recorder back), at most 4 windows.
     */
    static long lagBound(NetworkConfig mailman, NetworkConfig client, int chunkSamples) {
        long byDuration = mailman.retention().toNanos() / BenchSource.chunkDuration(chunkSamples).toNanos();
        long byBytes = mailman.retentionBytes() / (chunkSamples * 4L + 128);
        return Math.max(1, Math.min(4L * client.processorWindow(), Math.min(byDuration, byBytes) / 2));
    }

    private static FanoutResult runCase(RunContext ctx, int samples, int processorCount)
            throws IOException, InterruptedException, TimeoutException {
        return runCase(ctx, samples, processorCount, null);
    }

    /**
     * One case; with {@code kafka} (bootstrap servers) the mailman's one processor is the Kafka bridge and the P
     * processors are consumer groups of one member each reading its topic: the recorder is held back by them.
     */
    static FanoutResult runCase(RunContext ctx, int samples, int processorCount, String kafka)
            throws IOException, InterruptedException, TimeoutException {
        String stream = ctx.name(kafka == null ? "fanout" : "fanout-kafka", samples, processorCount);
        NetworkConfig client = ctx.client();
        CreditGate gate = new CreditGate(2L * client.recorderWindow(), lagBound(ctx.target().mailmanConfig(), client, samples));
        IoThreads loops = ctx.loopsFor(processorCount + 1);
        List<BenchProcessor> processors = new ArrayList<>();
        KafkaPath path = null;
        if (kafka == null) {
            for (int i = 0; i < processorCount; i++) {
                processors.add(Clients.processor(client, loops, stream + "-p" + i, List.of(stream), ctx.handOffs(), null, Duration.ZERO,
                        gate::signal, null));
            }
        }
        Recorder recorder = null;
        DashboardWatcher watcher = null;
        WatchResult watched = null;
        RunContext.Snapshot before;
        RunContext.Snapshot after;
        long done0;
        long done1;
        long sent;
        boolean complete;
        try {
            watcher = ctx.watch();
            if (kafka == null) {
                Clients.startAll(processors);
            } else {
                path = KafkaPath.open(ctx, loops, kafka, stream, List.of(stream), processorCount, null, gate::signal);
                processors.addAll(path.consumers());
            }
            BenchSource source = new BenchSource(samples, gate);
            recorder = Clients.recorder(client, loops, ctx.replayBudget(), stream, source, samples, new AckTracker(null, null, gate::signal));
            Recorder r = recorder;
            if (path == null) {
                gate.bind(r::chunksAcknowledged, () -> slowest(processors));
            } else {
                // The bridge is the mailman's processor: it must keep within the retention. The consumer groups' lag is in
                // Kafka's log, not in the mailman's memory: they may fall further behind.
                KafkaPath p = path;
                gate.bind(r::chunksAcknowledged, () -> Math.min(p.bridge().recordsWritten(), slowest(processors) + KAFKA_LAG_BOUND));
            }
            recorder.startAsync();
            long measureFrom = System.nanoTime() + ctx.settings().warmup().toNanos();
            Waits.until(measureFrom);
            before = ctx.sample();
            done0 = total(processors);
            if (watcher != null) {
                watcher.mark();
            }
            Waits.until(measureFrom + ctx.settings().duration().toNanos());
            done1 = total(processors);
            after = ctx.sample();
            if (watcher != null) {
                watched = watcher.result();
                watcher.close();
            }
            source.stop();
            recorder.close();
            sent = source.produced();
            Clients.awaitDone(processors, sent);
            complete = check(ctx, recorder, source, processors, "fan-out, " + samples + " samples, P=" + processorCount);
        } finally {
            if (watcher != null) {
                watcher.close();
            }
            if (recorder != null) {
                recorder.close();
            }
            if (path != null) {
                path.close();
            } else {
                Clients.closeAll(processors);
            }
        }
        double seconds = after.secondsSince(before);
        double perSecond = (done1 - done0) / seconds;
        // The relay runs after the mailman's clients are closed, with the same warm-up and interval.
        RelayResult relay = RelayRun.throughput(ctx, samples, processorCount);
        return new FanoutResult(samples, processorCount, RelayRun.round3(seconds), sent, done1 - done0, Math.round(perSecond),
                Math.round(perSecond * samples * 4 / 1e5) / 10.0, complete, relay,
                Math.round(perSecond / relay.deliveriesPerSecond() * 1000) / 1000.0, after.benchSince(before),
                after.mailmanSince(before), watched, path == null ? null : path.figures(sent, Percentiles.EMPTY));
    }

    /**
     * The fan-out check: the recorder dropped nothing and every processor processed every chunk,
     * in order, with the source's checksum. Records a failure otherwise.
     */
    static boolean check(RunContext ctx, Recorder recorder, BenchSource source, List<BenchProcessor> processors, String what) {
        List<String> problems = new ArrayList<>();
        long sent = source.produced();
        if (recorder.chunksDropped() + recorder.chunksUnacknowledged() > 0) {
            problems.add("the recorder dropped " + recorder.chunksDropped() + " and never got an ACK for "
                    + recorder.chunksUnacknowledged() + " of " + sent + " chunks");
        }
        for (BenchProcessor p : processors) {
            if (p.chunks() != sent || p.gapChunks() > 0 || p.outOfOrder() > 0 || p.checksum() != source.checksum()) {
                problems.add("processor " + p.name() + " processed " + p.chunks() + " of " + sent + " chunks, " + p.gapChunks()
                        + " announced missing, " + p.outOfOrder() + " out of order, checksum " + (p.checksum() == source.checksum()
                        ? "equal" : "DIFFERENT"));
            }
        }
        problems.forEach(m -> ctx.fail(what + ": " + m));
        return problems.isEmpty();
    }

    private static long total(List<BenchProcessor> processors) {
        long sum = 0;
        for (BenchProcessor p : processors) {
            sum += p.done();
        }
        return sum;
    }

    private static long slowest(List<BenchProcessor> processors) {
        long min = Long.MAX_VALUE;
        for (BenchProcessor p : processors) {
            min = Math.min(min, p.done());
        }
        return min;
    }
}
