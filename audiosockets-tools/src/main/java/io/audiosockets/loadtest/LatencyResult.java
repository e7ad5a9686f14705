package io.audiosockets.loadtest;

import java.util.List;

/**
 * The latency workload's figures for one number of recorders and processors.
 *
 * @param recorders recorders, each at real time (one chunk per chunk duration)
 * @param processors processors
 * @param oneToOne true if processor i subscribes to recorder i's stream only; false if every
 *     processor subscribes to every stream
 * @param chunkSamples samples per chunk
 * @param seconds length of the measured interval
 * @param chunksCaptured chunks the recorders captured in the whole run, all together
 * @param deliveriesExpected chunks the processors should have processed, all together
 * @param deliveries chunks they processed
 * @param lost {@code deliveriesExpected - deliveries} plus chunks announced missing by gaps: 0 if all is well
 * @param latency from each chunk's scheduled hand-off to {@code processData}, chunks scheduled in the measured interval
 * @param ack from each chunk's scheduled hand-off to the recorder's receipt of the mailman's ACK covering it
 * @param handoff how late the capture thread handed each chunk over, against its schedule: the part of
 *     {@code latency} and {@code ack} spent before the recorder had the chunk (thread wake-up)
 * @param bench resources of this JVM over the interval
 * @param mailman resources of the forked mailman over the interval, or null
 * @param watch what the dashboard and the {@code /metrics} scraper received over the interval ({@code --watch}), or null
 * @param kafka what went through Kafka beside the direct processors ({@code bench kafka} with the bridge), or null
 */
public record LatencyResult(int recorders, int processors, boolean oneToOne, int chunkSamples, double seconds, long chunksCaptured,
                            long deliveriesExpected, long deliveries, long lost, Percentiles latency, Percentiles ack, Percentiles handoff,
                            Usage bench,
                            Usage mailman, WatchResult watch, KafkaFigures kafka) implements CaseResult {

    @Override
    public String table() {
        return "latency: R recorders at real time, P processors; ms from the scheduled hand-off (coordinated omission accounted)";
    }

    @Override
    public List<String> header() {
        return List.of("samples", "R", "P", "delivered", "lost", "p50", "p90", "p99", "p99.9", "max", "ack p50", "ack p99", "cores",
                "RSS MB", "mailman cores");
    }

    @Override
    public List<List<String>> rows() {
        List<String> direct = List.of(Integer.toString(chunkSamples), Integer.toString(recorders),
                processors + (oneToOne ? " (1:1)" : ""), Fmt.count(deliveries), Fmt.count(lost), Fmt.ms(latency.p50Ms()),
                Fmt.ms(latency.p90Ms()), Fmt.ms(latency.p99Ms()), Fmt.ms(latency.p999Ms()), Fmt.ms(latency.maxMs()),
                Fmt.ms(ack.p50Ms()), Fmt.ms(ack.p99Ms()), Fmt.num(bench.cores(), 2), Fmt.num(bench.rssMb(), 0),
                mailman == null ? "-" : Fmt.num(mailman.cores(), 2));
        if (kafka == null) {
            return List.of(direct);
        }
        Percentiles k = kafka.latency();
        return List.of(direct, List.of(Integer.toString(chunkSamples), Integer.toString(recorders), kafka.consumers() + " via Kafka",
                Fmt.count(kafka.delivered()), Fmt.count(kafka.lost()), Fmt.ms(k.p50Ms()), Fmt.ms(k.p90Ms()), Fmt.ms(k.p99Ms()),
                Fmt.ms(k.p999Ms()), Fmt.ms(k.maxMs()), "-", "-", "-", "-", "-"));
    }
}
