package io.audiosockets.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The raw relay on its own: throughput for every chunk size and receiver count, then latency at
 * real-time pace (one frame per chunk duration) for every receiver count at the first chunk size.
 */
final class BaselineWorkload {
    private BaselineWorkload() {
    }

    static List<CaseResult> run(RunContext ctx) throws IOException, InterruptedException, TimeoutException {
        List<CaseResult> results = new ArrayList<>();
        BenchSettings s = ctx.settings();
        for (int samples : s.chunkSamples()) {
            for (int p : s.processors()) {
                results.add(RelayRun.throughput(ctx, samples, p));
            }
        }
        for (int p : s.processors()) {
            results.add(RelayRun.latency(ctx, s.chunkSamples().get(0), p));
        }
        return results;
    }
}
