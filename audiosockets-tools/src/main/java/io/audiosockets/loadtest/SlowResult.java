package io.audiosockets.loadtest;

import java.util.List;

/**
 * The slow-processor workload: one recorder at real time and a normal processor, first alone
 * ("alone"), then with a processor that takes {@code slowFactor} times real time per chunk
 * ("with slow"), in the same run.
 *
 * @param chunkSamples samples per chunk
 * @param slowWorkMs what the slow processor spends on each chunk (a sleep)
 * @param secondsPerPhase length of each measured phase
 * @param ackAlone the recorder's acknowledgement latency without the slow processor
 * @param ackWithSlow the same with it
 * @param normalAlone the normal processor's latency without the slow processor
 * @param normalWithSlow the same with it
 * @param normalLost chunks the normal processor did not process, or got as gaps: 0 if all is well
 * @param recorderDropped chunks the recorder dropped or never got acknowledged: 0 if all is well
 * @param slowProcessed chunks the slow processor processed
 * @param slowGapNotices GAP notices the slow processor received
 * @param slowGapChunks chunks those gaps covered
 * @param slowBehind chunks captured that the slow processor had neither processed nor learnt missing at the end
 * @param bench resources of this JVM over both phases
 * @param mailman resources of the forked mailman, or null
 */
public record SlowResult(int chunkSamples, double slowWorkMs, double secondsPerPhase, Percentiles ackAlone, Percentiles ackWithSlow,
                         Percentiles normalAlone, Percentiles normalWithSlow, long normalLost, long recorderDropped,
                         long slowProcessed, long slowGapNotices, long slowGapChunks, long slowBehind, Usage bench,
                         Usage mailman) implements CaseResult {

    @Override
    public String table() {
        return "slow processor: one recorder at real time, a normal processor, then also one " + Fmt.num(slowWorkMs, 0)
                + " ms per chunk; ms";
    }

    @Override
    public List<String> header() {
        return List.of("latency", "count", "p50", "p90", "p99", "p99.9", "max", "p99 change");
    }

    @Override
    public List<List<String>> rows() {
        return List.of(
                row("recorder ACK, alone", ackAlone, ""),
                row("recorder ACK, with slow", ackWithSlow, Fmt.change(ackAlone.p99Ms(), ackWithSlow.p99Ms())),
                row("normal processor, alone", normalAlone, ""),
                row("normal processor, with slow", normalWithSlow, Fmt.change(normalAlone.p99Ms(), normalWithSlow.p99Ms())));
    }

    static List<String> row(String what, Percentiles p, String change) {
        return List.of(what, Fmt.count(p.count()), Fmt.ms(p.p50Ms()), Fmt.ms(p.p90Ms()), Fmt.ms(p.p99Ms()), Fmt.ms(p.p999Ms()),
                Fmt.ms(p.maxMs()), change);
    }
}
