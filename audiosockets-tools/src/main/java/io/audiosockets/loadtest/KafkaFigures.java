package io.audiosockets.loadtest;

/**
 * What went through Kafka in a case of {@code bench kafka}: the bridge's records and the
 * consumer-group members' deliveries.
 *
 * @param topic the case's topic
 * @param partitions its partitions
 * @param recordsWritten records the bridge had acknowledged by Kafka by the end of the case
 * @param bridgeRetries records the bridge sent again
 * @param consumers consumer groups reading the topic, one member each
 * @param expected chunks the consumers should have processed, all together
 * @param delivered chunks they processed
 * @param lost {@code expected - delivered} plus chunks announced missing: 0 if all is well
 * @param latency from each chunk's scheduled hand-off to a consumer's {@code processData}, or
 *     {@link Percentiles#EMPTY} where not measured (fan-out)
 */
public record KafkaFigures(String topic, int partitions, long recordsWritten, long bridgeRetries, int consumers, long expected,
                           long delivered, long lost, Percentiles latency) {
}
