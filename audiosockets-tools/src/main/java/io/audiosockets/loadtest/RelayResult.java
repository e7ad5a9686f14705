package io.audiosockets.loadtest;

import java.util.List;

/**
 * The raw relay's figures for one case: throughput (as fast as TCP takes it) or latency (one
 * frame per chunk duration).
 *
 * @param mode "throughput" or "latency"
 * @param chunkSamples samples per frame (4 bytes each)
 * @param receivers receivers, each getting every frame
 * @param seconds length of the measured interval
 * @param framesSent frames the sender sent in the whole run (warm-up included)
 * @param deliveries frames received in the measured interval, all receivers together
 * @param deliveriesPerSecond {@code deliveries / seconds}
 * @param megabytesPerSecond audio bytes delivered per second, all receivers together, MB (10^6 bytes)
 * @param latency latency from the scheduled send time (latency mode), else {@link Percentiles#EMPTY}
 * @param everyFrameEverywhere every receiver got every frame sent, in order, with the sender's checksum
 * @param bench resources of this JVM over the interval
 */
public record RelayResult(String mode, int chunkSamples, int receivers, double seconds, long framesSent, long deliveries,
                          double deliveriesPerSecond, double megabytesPerSecond, Percentiles latency,
                          boolean everyFrameEverywhere, Usage bench) implements CaseResult {

    @Override
    public String table() {
        return "raw relay (baseline), " + mode;
    }

    @Override
    public List<String> header() {
        return mode.equals("latency")
                ? List.of("samples", "receivers", "deliveries", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "complete", "cores")
                : List.of("samples", "receivers", "frames/s in total", "per receiver", "MB/s", "complete", "cores");
    }

    @Override
    public List<List<String>> rows() {
        if (mode.equals("latency")) {
            return List.of(List.of(Integer.toString(chunkSamples), Integer.toString(receivers), Fmt.count(latency.count()),
                    Fmt.ms(latency.p50Ms()), Fmt.ms(latency.p90Ms()), Fmt.ms(latency.p99Ms()), Fmt.ms(latency.p999Ms()),
                    Fmt.ms(latency.maxMs()), Fmt.yes(everyFrameEverywhere), Fmt.num(bench.cores(), 2)));
        }
        return List.of(List.of(Integer.toString(chunkSamples), Integer.toString(receivers), Fmt.num(deliveriesPerSecond, 0),
                Fmt.num(deliveriesPerSecond / receivers, 0), Fmt.num(megabytesPerSecond, 1), Fmt.yes(everyFrameEverywhere),
                Fmt.num(bench.cores(), 2)));
    }
}
