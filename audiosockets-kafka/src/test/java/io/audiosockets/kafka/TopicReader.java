package io.audiosockets.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.internal.kafka.ChunkRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the tests read a topic with: a plain Kafka consumer, no group, from the beginning of every partition. */
final class TopicReader {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(90);

    private TopicReader() {
    }

    /** Creates {@code topic} with {@code partitions} partitions on the broker. */
    static void create(KafkaBroker broker, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Every record of {@code topic} once it holds at least {@code atLeast}, in offset order per
     * partition, after checking that the partitions' end offsets add up to exactly what was read.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaBroker broker, String topic, int atLeast) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (out.size() < atLeast) {
                assertThat(System.nanoTime()).as("%s holds %d records after %s; expected at least %d", topic, out.size(),
                        READ_TIMEOUT, atLeast).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            long end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            while (out.size() < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add); // what came after atLeast was reached
            }
            return out;
        }
    }

    /** Per stream (the key), the seqs of the records in the order Kafka keeps them. */
    static Map<String, List<Long>> seqsByStream(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(ChunkRecords.seqOf(r.headers()));
        }
        return out;
    }
}
