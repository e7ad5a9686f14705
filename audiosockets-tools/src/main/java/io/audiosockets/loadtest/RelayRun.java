package io.audiosockets.loadtest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Runs the {@link RawRelay} for one case: one sender, {@code receivers} receivers, frames of
 * {@code chunkSamples} float32 samples; as fast as possible (throughput) or one frame per chunk
 * duration (latency), with the same warm-up and measured interval as the mailman's cases.
 */
final class RelayRun {
    private RelayRun() {
    }

    /** Throughput: frames as fast as TCP and the relay take them. */
    static RelayResult throughput(RunContext ctx, int chunkSamples, int receivers) throws IOException, InterruptedException, TimeoutException {
        return run(ctx, chunkSamples, receivers, false);
    }

    /** Latency: one frame per chunk duration, timed from each frame's scheduled send time. */
    static RelayResult latency(RunContext ctx, int chunkSamples, int receivers) throws IOException, InterruptedException, TimeoutException {
        return run(ctx, chunkSamples, receivers, true);
    }

    private static RelayResult run(RunContext ctx, int chunkSamples, int receivers, boolean paced)
            throws IOException, InterruptedException, TimeoutException {
        int payload = chunkSamples * BenchSource.FORMAT.frameBytes();
        Latencies latencies = paced ? new Latencies("measured") : null;
        List<RelayReceiver> readers = new ArrayList<>();
        try (RawRelay relay = new RawRelay(receivers, payload)) {
            try {
                for (int i = 0; i < receivers; i++) {
                    readers.add(new RelayReceiver(relay.port(), payload, latencies));
                }
                long pace = paced ? BenchSource.chunkDuration(chunkSamples).toNanos() : 0;
                try (RelaySender sender = new RelaySender(relay.port(), payload, pace)) {
                    long start = System.nanoTime();
                    long measureFrom = start + ctx.settings().warmup().toNanos();
                    if (latencies != null) {
                        latencies.startPhase(0, measureFrom);
                    }
                    Waits.until(measureFrom);
                    RunContext.Snapshot before = ctx.sample();
                    long received0 = total(readers);
                    Waits.until(measureFrom + ctx.settings().duration().toNanos());
                    long received1 = total(readers);
                    RunContext.Snapshot after = ctx.sample();
                    sender.stop();
                    if (!sender.awaitEnd(Clients.DRAIN_TIMEOUT.toMillis())) {
                        throw new TimeoutException("the relay's sender did not stop");
                    }
                    for (RelayReceiver r : readers) {
                        if (!r.awaitEnd(Clients.DRAIN_TIMEOUT.toMillis())) {
                            throw new TimeoutException("a relay receiver did not get the end of the stream");
                        }
                    }
                    boolean complete = sender.failure() == null;
                    for (RelayReceiver r : readers) {
                        complete &= r.failure() == null && r.received() == sender.sent() && r.checksum() == sender.checksum()
                                && r.outOfOrder() == 0;
                    }
                    if (!complete) {
                        ctx.fail("raw relay, " + chunkSamples + " samples, " + receivers + " receivers: a receiver missed frames "
                                + "(sent " + sender.sent() + ", received " + readers.stream().map(r -> Long.toString(r.received())).toList() + ")");
                    }
                    double seconds = after.secondsSince(before);
                    long deliveries = received1 - received0;
                    double perSecond = deliveries / seconds;
                    return new RelayResult(paced ? "latency" : "throughput", chunkSamples, receivers, round3(seconds), sender.sent(),
                            deliveries, Math.round(perSecond), Math.round(perSecond * payload / 1e5) / 10.0,
                            latencies == null ? Percentiles.EMPTY : latencies.percentiles().get(0), complete, after.benchSince(before));
                }
            } finally {
                Clients.closeAll(readers);
            }
        }
    }

    private static long total(List<RelayReceiver> readers) {
        long sum = 0;
        for (RelayReceiver r : readers) {
            sum += r.received();
        }
        return sum;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
