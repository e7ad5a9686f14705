package io.audiosockets.loadtest;

import java.util.List;

/**
 * The crash workload: one recorder at real time, a surviving processor and a victim whose
 * connection is reset mid-run without a goodbye (see {@link CutProxy}).
 *
 * @param chunkSamples samples per chunk
 * @param secondsPerPhase length of each measured phase, before and after the cut
 * @param ackBefore the recorder's acknowledgement latency before the cut
 * @param ackAfter after it
 * @param survivorBefore the surviving processor's latency before the cut
 * @param survivorAfter after it
 * @param survivorLost chunks the survivor did not process or got as gaps: must be 0
 * @param recorderLost chunks the recorder dropped or never got acknowledged: must be 0
 * @param recorderDisconnects connection losses the recorder saw: 0 expected
 * @param survivorDisconnects connection losses the survivor saw: 0 expected
 * @param victimProcessedBeforeCut chunks the victim had processed when it was cut
 * @param mailmanNoticedMs time from the cut to the mailman dropping the victim's registration, or -1 if not observable
 *     (the mailman is not in this JVM)
 * @param bench resources of this JVM over both phases
 * @param mailman resources of the forked mailman, or null
 */
public record CrashResult(int chunkSamples, double secondsPerPhase, Percentiles ackBefore, Percentiles ackAfter,
                          Percentiles survivorBefore, Percentiles survivorAfter, long survivorLost, long recorderLost,
                          long recorderDisconnects, long survivorDisconnects, long victimProcessedBeforeCut, double mailmanNoticedMs,
                          Usage bench, Usage mailman) implements CaseResult {

    @Override
    public String table() {
        return "crash: one recorder at real time, two processors, one reset mid-run (no goodbye); ms";
    }

    @Override
    public List<String> header() {
        return List.of("latency", "count", "p50", "p90", "p99", "p99.9", "max", "p99 change");
    }

    @Override
    public List<List<String>> rows() {
        return List.of(
                SlowResult.row("recorder ACK, before the cut", ackBefore, ""),
                SlowResult.row("recorder ACK, after the cut", ackAfter, Fmt.change(ackBefore.p99Ms(), ackAfter.p99Ms())),
                SlowResult.row("surviving processor, before", survivorBefore, ""),
                SlowResult.row("surviving processor, after", survivorAfter, Fmt.change(survivorBefore.p99Ms(), survivorAfter.p99Ms())));
    }
}
