package io.audiosockets.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker fixture the Kafka features stand on: a real KRaft broker in a child JVM takes an
 * idempotent producer's records and a consumer group's commits, and keeps both across a stop and
 * a restart on the same ports and data, and the commits across a SIGKILL too.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaBrokerTest {
    private static final String TOPIC = "smoke";
    private static final String GROUP = "smoke-group";
    private static final int KEYS = 10;
    private static final int PER_KEY = 10;
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void recordsAndCommittedOffsetsSurviveARestartAndAKill() throws Exception {
        long createdAt = System.nanoTime();
        try (KafkaBroker broker = KafkaBroker.create()) {
            long startedAt = System.nanoTime();
            broker.start();
            System.out.printf("Kafka broker: log directory formatted in %d ms, then started and ready on %s in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(startedAt - createdAt), broker.bootstrap(),
                    elapsedMillis(startedAt));
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }

            List<RecordMetadata> sent = produce(broker, 0, PER_KEY);
            assertThat(sent).hasSize(KEYS * PER_KEY);
            assertThat(sent.stream().map(RecordMetadata::partition).distinct())
                    .as("the keys are spread over the 3 partitions").hasSize(3);

            List<ConsumerRecord<String, String>> first = consume(broker, KEYS * PER_KEY);
            assertThat(values(first)).containsExactlyInAnyOrderElementsOf(expected(0, PER_KEY));
            assertPerKeyOrder(first);

            long stoppedAt = System.nanoTime();
            broker.restart();
            System.out.printf("Kafka broker stopped (SIGTERM) and started again on %s in %d ms%n",
                    broker.bootstrap(), elapsedMillis(stoppedAt));

            try (Admin admin = admin(broker)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
                assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                        .as("the group's committed offsets after the restart").isEqualTo(KEYS * PER_KEY);
            }

            // Old records come before new ones in each partition: a group that lost its offsets would read them first.
            produce(broker, PER_KEY, 2);
            List<ConsumerRecord<String, String>> second = consume(broker, KEYS * 2);
            assertThat(values(second)).as("after the restart the group reads only what came after its commits")
                    .containsExactlyInAnyOrderElementsOf(expected(PER_KEY, 2));
            assertPerKeyOrder(second);

            long killedAt = System.nanoTime();
            broker.kill();
            broker.start();
            System.out.printf("Kafka broker killed (SIGKILL) and started again on %s in %d ms%n",
                    broker.bootstrap(), elapsedMillis(killedAt));
            try (Admin admin = admin(broker)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
                assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                        .as("the group's committed offsets after a SIGKILL and a start").isEqualTo(KEYS * (PER_KEY + 2));
            }
        }
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    /** Sends {@code count} records for each key, numbered from {@code from}: values {@code key-K:N}. */
    private static List<RecordMetadata> produce(KafkaBroker broker, int from, int count)
            throws InterruptedException, ExecutionException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int n = from; n < from + count; n++) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    futures.add(producer.send(new ProducerRecord<>(TOPIC, key, key + ":" + n)));
                }
            }
            producer.flush();
        }
        List<RecordMetadata> sent = new ArrayList<>();
        for (Future<RecordMetadata> f : futures) {
            sent.add(f.get());
        }
        return sent;
    }

    /** Reads {@code count} records as a member of the group, and commits them. */
    private static List<ConsumerRecord<String, String>> consume(KafkaBroker broker, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                // poll blocks until records come or a second passes: it waits for the broker, it does not sleep.
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
            assertThat(records).as("records read by group %s within %d s", GROUP, CONSUME_TIMEOUT.toSeconds()).hasSize(count);
            consumer.commitSync(Duration.ofSeconds(60));
        }
        return records;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static List<String> expected(int from, int count) {
        List<String> values = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            for (int k = 0; k < KEYS; k++) {
                values.add("key-" + k + ":" + n);
            }
        }
        return values;
    }

    /** Each key's numbers come in the order they were sent, one after the other. */
    private static void assertPerKeyOrder(List<ConsumerRecord<String, String>> records) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(Integer.parseInt(r.value().substring(r.key().length() + 1)));
        }
        Map<String, List<Integer>> sorted = new HashMap<>();
        byKey.forEach((k, v) -> sorted.put(k, v.stream().sorted().toList()));
        assertThat(byKey).as("per-key order").isEqualTo(sorted);
    }
}
