package io.audiosockets.loadtest;

import io.audiosockets.client.ClientListener;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crash workload: one recorder at real time, a surviving processor and a victim connected
 * through a {@link CutProxy}. After a measured phase ("before") the victim's connection is reset
 * with no goodbye, and a second phase ("after") measures what the survivor and the recorder see.
 * Neither may lose a chunk or its connection.
 */
final class CrashWorkload {
    private CrashWorkload() {
    }

    static List<CaseResult> run(RunContext ctx) throws IOException, InterruptedException, TimeoutException {
        int samples = ctx.settings().chunkSamples().get(0);
        String stream = ctx.name("crash", samples);
        Latencies acks = new Latencies("before", "after");
        Latencies survivorLatencies = new Latencies("before", "after");
        AtomicLong survivorDisconnects = new AtomicLong();
        ClientListener survivorListener = new ClientListener() {
            @Override
            public void onDisconnected(String reason) {
                survivorDisconnects.incrementAndGet();
            }
        };
        try (CutProxy proxy = new CutProxy(ctx.target().host(), ctx.target().port())) {
            NetworkConfig viaProxy = ctx.client().toBuilder().server("127.0.0.1").port(proxy.port()).build();
            BenchProcessor survivor = Clients.processor(ctx.client(), ctx.loopsFor(3), stream + "-survivor", List.of(stream),
                    ctx.handOffs(), survivorLatencies, Duration.ZERO, () -> { }, survivorListener);
            BenchProcessor victim = Clients.processor(viaProxy, ctx.loopsFor(3), stream + "-victim", List.of(stream), ctx.handOffs(),
                    null, Duration.ZERO, () -> { }, null);
            PacedRecorder recorder = null;
            try {
                Clients.startAll(List.of(survivor, victim));
                recorder = PacedRecorder.create(ctx.client(), ctx.loopsFor(3), ctx.replayBudget(), stream, samples, acks, null, ctx.handOffs());
                recorder.recorder().startAsync();
                long phase = ctx.settings().duration().toNanos();
                long beforeCut = System.nanoTime() + ctx.settings().warmup().toNanos();
                long cutAt = beforeCut + phase;
                acks.startPhase(0, beforeCut);
                acks.startPhase(1, cutAt);
                survivorLatencies.startPhase(0, beforeCut);
                survivorLatencies.startPhase(1, cutAt);
                Waits.until(beforeCut);
                RunContext.Snapshot before = ctx.sample();
                Waits.until(cutAt);
                long victimProcessed = victim.chunks();
                long cutNanos = System.nanoTime();
                proxy.cut();
                double noticedMs = noticed(ctx.target().embedded(), victim.name(), cutNanos);
                Waits.until(cutAt + phase);
                RunContext.Snapshot after = ctx.sample();
                long recorderDisconnects = recorder.tracker().disconnects(); // read before close() ends the connection
                recorder.stop();
                recorder.recorder().close();
                long sent = recorder.source().produced();
                try {
                    Clients.awaitDone(List.of(survivor), sent);
                } catch (TimeoutException e) {
                    ctx.fail("crash: the survivor did not finish: " + e.getMessage());
                }
                long survivorLost = sent - survivor.chunks();
                if (survivorLost != 0 || survivor.outOfOrder() > 0) {
                    ctx.fail("crash: the surviving processor lost " + survivorLost + " of " + sent + " chunks");
                }
                if (recorder.lost() != 0) {
                    ctx.fail("crash: the recorder lost " + recorder.lost() + " chunks");
                }
                if (recorderDisconnects + survivorDisconnects.get() > 0) {
                    ctx.fail("crash: the cut disturbed others: the recorder lost its connection " + recorderDisconnects
                            + " time(s), the survivor " + survivorDisconnects.get());
                }
                return List.of(new CrashResult(samples, RelayRun.round3(phase / 1e9), SlowWorkload.percentiles(acks, 0),
                        SlowWorkload.percentiles(acks, 1), SlowWorkload.percentiles(survivorLatencies, 0),
                        SlowWorkload.percentiles(survivorLatencies, 1), survivorLost, recorder.lost(), recorderDisconnects,
                        survivorDisconnects.get(), victimProcessed, noticedMs, after.benchSince(before), after.mailmanSince(before)));
            } finally {
                if (recorder != null) {
                    recorder.close();
                }
                Clients.closeAll(List.of(victim, survivor));
            }
        }
    }

    /** Milliseconds until an embedded mailman no longer lists {@code victim} (at most 20 s), or -1 if not observable. */
    private static double noticed(Optional<Mailman> mailman, String victim, long cutNanos) throws InterruptedException {
        if (mailman.isEmpty()) {
            return -1;
        }
        try {
            Waits.until(() -> !mailman.get().processors().contains(victim), Duration.ofSeconds(20), "the mailman dropping the victim");
            return Math.round((System.nanoTime() - cutNanos) / 1e4) / 100.0;
        } catch (TimeoutException e) {
            return -1;
        }
    }
}
