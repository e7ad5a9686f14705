package io.audiosockets.loadtest;

import io.audiosockets.config.NetworkConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The slow-processor workload: one recorder at real time and a normal processor for a measured
 * phase ("alone"), then a processor that spends {@code slowFactor} chunk durations per chunk
 * joins for a second phase ("with slow"). The recorder's acknowledgement latency and the normal
 * processor's latency are compared between the phases; the slow one falls behind and, once it
 * is further behind than the retention, gets gaps.
 */
final class SlowWorkload {
    /** The retention of a mailman this tool starts for this workload: short, so the slow processor's gaps show within seconds. */
    static final Duration DEFAULT_RETENTION = Duration.ofSeconds(2);

    private SlowWorkload() {
    }

    static NetworkConfig mailmanConfig(NetworkConfig base, BenchSettings s) {
        return base.toBuilder().retention(s.retention().orElse(DEFAULT_RETENTION)).build();
    }

    static List<CaseResult> run(RunContext ctx) throws InterruptedException, TimeoutException {
        int samples = ctx.settings().chunkSamples().get(0);
        String stream = ctx.name("slow", samples);
        Duration chunk = BenchSource.chunkDuration(samples);
        Duration work = Duration.ofNanos(Math.round(chunk.toNanos() * ctx.settings().slowFactor()));
        Latencies acks = new Latencies("alone", "with slow");
        Latencies normalLatencies = new Latencies("alone", "with slow");
        BenchProcessor normal = Clients.processor(ctx.client(), ctx.loopsFor(3), stream + "-normal", List.of(stream), ctx.handOffs(),
                normalLatencies, Duration.ZERO, () -> { }, null);
        // The slow one is closed while it works on a chunk: it must not own its loop (see RunContext.sharedLoops).
        BenchProcessor slow = Clients.processor(ctx.client(), ctx.sharedLoops(), stream + "-slow", List.of(stream), ctx.handOffs(),
                null, work, () -> { }, null);
        PacedRecorder recorder = null;
        RunContext.Snapshot before;
        RunContext.Snapshot after;
        long phase = ctx.settings().duration().toNanos();
        try {
            Clients.startAll(List.of(normal));
            recorder = PacedRecorder.create(ctx.client(), ctx.loopsFor(3), ctx.replayBudget(), stream, samples, acks, null, ctx.handOffs());
            recorder.recorder().startAsync();
            long alone = System.nanoTime() + ctx.settings().warmup().toNanos();
            long withSlow = alone + phase;
            acks.startPhase(0, alone);
            acks.startPhase(1, withSlow);
            normalLatencies.startPhase(0, alone);
            normalLatencies.startPhase(1, withSlow);
            Waits.until(alone);
            before = ctx.sample();
            Waits.until(withSlow);
            Clients.startAll(List.of(slow));
            Waits.until(withSlow + phase);
            after = ctx.sample();
            recorder.stop();
            recorder.recorder().close();
            long sent = recorder.source().produced();
            try {
                Clients.awaitDone(List.of(normal), sent);
            } catch (TimeoutException e) {
                ctx.fail("slow: the normal processor did not finish: " + e.getMessage());
            }
            long normalLost = sent - normal.chunks();
            long slowBehind = sent - slow.done();
            if (normalLost != 0 || normal.outOfOrder() > 0) {
                ctx.fail("slow: the normal processor lost " + normalLost + " of " + sent + " chunks (" + normal.gapChunks()
                        + " in gaps, " + normal.outOfOrder() + " out of order)");
            }
            if (recorder.lost() != 0) {
                ctx.fail("slow: the recorder lost " + recorder.lost() + " chunks");
            }
            if (slow.gapChunks() == 0 && slowBehind <= 0) {
                ctx.note("slow: the slow processor kept up (no gap, not behind): make it slower (--slow-factor) or the phase longer");
            } else if (slow.gapChunks() == 0) {
                // Gaps come only when the cursor reads past the retention, after the window already sent is processed.
                ctx.note(String.format(java.util.Locale.ROOT, "slow: the slow processor is behind but got no gap yet: the %d chunks of "
                                + "its window take it %.1f s; gaps come once it asks for more and the mailman has evicted them "
                                + "(a longer --duration shows them)", slow.options().window(),
                        slow.options().window() * work.toNanos() / 1e9));
            }
            return List.of(new SlowResult(samples, work.toNanos() / 1e6, RelayRun.round3(phase / 1e9), percentiles(acks, 0),
                    percentiles(acks, 1), percentiles(normalLatencies, 0), percentiles(normalLatencies, 1), normalLost, recorder.lost(),
                    slow.chunks(), slow.gapNotices(), slow.gapChunks(), slowBehind, after.benchSince(before), after.mailmanSince(before)));
        } finally {
            if (recorder != null) {
                recorder.close();
            }
            Clients.closeAll(List.of(slow, normal));
        }
    }

    static Percentiles percentiles(Latencies latencies, int phase) {
        return Percentiles.of(latencies.histogram(phase));
    }
}
