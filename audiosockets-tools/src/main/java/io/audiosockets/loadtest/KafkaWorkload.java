package io.audiosockets.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka workload: the way through Kafka beside the direct one, in the same run. For each R,
 * R recorders at real time and one processor on every stream, first without the bridge, then with
 * it (the mailman writes every chunk to a topic and a consumer group reads it, measured like the
 * direct processor): latency from the schedule both ways, and what the bridge costs the mailman.
 * For each P, fan-out from one recorder as fast as flow control allows to P direct processors,
 * then through the bridge to P consumer groups.
 */
final class KafkaWorkload {
    private KafkaWorkload() {
    }

    static List<CaseResult> run(RunContext ctx) throws IOException, InterruptedException, TimeoutException {
        String bootstrap = ctx.settings().kafka().orElseThrow();
        List<CaseResult> results = new ArrayList<>();
        for (int samples : ctx.settings().chunkSamples()) {
            for (int r : ctx.settings().recorders()) {
                results.add(LatencyWorkload.runCase(ctx, samples, r, 1, null));
                results.add(LatencyWorkload.runCase(ctx, samples, r, 1, bootstrap));
            }
            for (int p : ctx.settings().processors()) {
                results.add(FanoutWorkload.runCase(ctx, samples, p, null));
                results.add(FanoutWorkload.runCase(ctx, samples, p, bootstrap));
            }
        }
        return results;
    }
}
