package io.audiosockets.loadtest;

import java.util.List;

/**
 * The fan-out workload's figures for one chunk size and number of processors, beside the raw
 * relay's measured just after it in the same run.
 *
 * @param chunkSamples samples per chunk (16 kHz mono float32: 4 bytes each)
 * @param processors processors, each subscribed to the one stream
 * @param seconds length of the measured interval
 * @param chunksSent chunks the recorder captured in the whole run (warm-up included)
 * @param deliveries chunks processed in the measured interval, all processors together
 * @param deliveriesPerSecond {@code deliveries / seconds}
 * @param megabytesPerSecond audio bytes delivered per second, all processors together, MB (10^6 bytes)
 * @param everyChunkEverywhere every processor processed every chunk captured, in order, with the source's
 *     checksum, no gap, and the recorder dropped nothing
 * @param relay the raw relay with as many receivers and the same frame size
 * @param ratioToRelay {@code deliveriesPerSecond / relay.deliveriesPerSecond()}
 * @param bench resources of this JVM over the interval
 * @param mailman resources of the forked mailman over the interval, or null if it is not a child
 * @param watch what the dashboard and the {@code /metrics} scraper received over the interval ({@code --watch}), or null
 * @param kafka the way through Kafka ({@code bench kafka}): the mailman's one processor is the bridge, and the P
 *     processors are consumer groups reading its topic, whose deliveries are the figures; or null for direct processors
 */
public record FanoutResult(int chunkSamples, int processors, double seconds, long chunksSent, long deliveries,
                           double deliveriesPerSecond, double megabytesPerSecond, boolean everyChunkEverywhere,
                           RelayResult relay, double ratioToRelay, Usage bench, Usage mailman,
                           WatchResult watch, KafkaFigures kafka) implements CaseResult {

    @Override
    public String table() {
        return "fan-out: one recorder as fast as the mailman accepts (credit-based, no loss), P processors";
    }

    @Override
    public List<String> header() {
        return List.of("samples", "P", "chunks/s in total", "per processor", "MB/s", "complete", "relay frames/s", "relay MB/s",
                "ratio", "cores", "mailman cores");
    }

    @Override
    public List<List<String>> rows() {
        return List.of(List.of(Integer.toString(chunkSamples), processors + (kafka == null ? "" : " via Kafka"),
                Fmt.num(deliveriesPerSecond, 0),
                Fmt.num(deliveriesPerSecond / processors, 0), Fmt.num(megabytesPerSecond, 1), Fmt.yes(everyChunkEverywhere),
                Fmt.num(relay.deliveriesPerSecond(), 0), Fmt.num(relay.megabytesPerSecond(), 1), Fmt.num(ratioToRelay, 2),
                Fmt.num(bench.cores(), 2), mailman == null ? "-" : Fmt.num(mailman.cores(), 2)));
    }
}
