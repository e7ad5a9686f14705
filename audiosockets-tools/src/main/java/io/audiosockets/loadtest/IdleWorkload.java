package io.audiosockets.loadtest;

import io.audiosockets.client.IoThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;

/**
 * The idle workload: N processors connect and register, and nothing is sent. Live heap (after
 * full collections) and resident set are read before and after, in this JVM and in a forked
 * mailman, and divided by N.
 */
final class IdleWorkload {
    private IdleWorkload() {
    }

    static List<CaseResult> run(RunContext ctx) throws InterruptedException, TimeoutException {
        List<CaseResult> results = new ArrayList<>();
        for (int n : ctx.settings().processors()) {
            results.add(runCase(ctx, n));
        }
        return results;
    }

    private static IdleResult runCase(RunContext ctx, int n) throws InterruptedException, TimeoutException {
        String base = ctx.name("idle", n);
        // Shared loops whatever N: a thousand idle clients must not each bring a thread of their own.
        IoThreads loops = ctx.loopsFor(Integer.MAX_VALUE);
        long pid = ProcessHandle.current().pid();
        long heap0 = Resources.liveHeapBytes();
        long rss0 = Resources.statusKilobytes(pid, "VmRSS") * 1024;
        OptionalLong mHeap0 = mailmanHeap(ctx);
        long mRss0 = mailmanRss(ctx);
        List<BenchProcessor> processors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            processors.add(Clients.processor(ctx.client(), loops, base + "-p" + i, List.of(base), ctx.handOffs(), null, Duration.ZERO,
                    () -> { }, null));
        }
        try {
            long start = System.nanoTime();
            Clients.startAll(processors);
            double connectSeconds = RelayRun.round3((System.nanoTime() - start) / 1e9);
            long heap1 = Resources.liveHeapBytes();
            long rss1 = Resources.statusKilobytes(pid, "VmRSS") * 1024;
            OptionalLong mHeap1 = mailmanHeap(ctx);
            long mRss1 = mailmanRss(ctx);
            long mHeapPer = mHeap0.isPresent() && mHeap1.isPresent() ? (mHeap1.getAsLong() - mHeap0.getAsLong()) / n : -1;
            long mRssPer = mRss0 >= 0 && mRss1 >= 0 ? (mRss1 - mRss0) / n : -1;
            return new IdleResult(n, connectSeconds, (heap1 - heap0) / n, rss0 < 0 ? -1 : (rss1 - rss0) / n, Math.round(rss1 / 1e5) / 10.0,
                    mHeapPer, mRssPer, mRss1 < 0 ? -1 : Math.round(mRss1 / 1e5) / 10.0, ctx.target().embedded().isPresent());
        } finally {
            Clients.closeAll(processors);
        }
    }

    private static OptionalLong mailmanHeap(RunContext ctx) {
        return ctx.target().process().map(p -> JcmdProbe.liveHeapBytes(p.pid())).orElse(OptionalLong.empty());
    }

    private static long mailmanRss(RunContext ctx) {
        return ctx.target().process().map(p -> Resources.statusKilobytes(p.pid(), "VmRSS") * 1024).orElse(-1L);
    }
}
