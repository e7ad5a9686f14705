package io.audiosockets.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.kafka.ChunkRecords;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's processor, unchanged, as a Kafka consumer group (KafkaProcessorRunner) against a real
 * KRaft broker: three replicas in JVMs of their own, one SIGKILLed mid-run; a new group replaying
 * the history from the oldest record; a hole in a stream's sequence numbers reported as one exact gap.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConsumerGroupTest {
    private static final int STREAMS = 10;
    private static final Duration AWAIT = Duration.ofSeconds(120);
    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    void aGroupOfThreeReplicasSurvivesASigkillAndProcessesEveryChunk() throws Exception {
        String topic = createTopic("group-kill", 6);
        int perStream = 300;
        List<ChildProcess> replicas = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                Path file = dir.resolve("replica-" + i + ".txt");
                files.add(file);
                ProcessBuilder pb = new ProcessBuilder(ChildProcess.javaExecutable(), "-Xmx192m", "-cp",
                        System.getProperty("java.class.path"), ReplicaMain.class.getName(), kafka.broker().bootstrap(), "kill-group", topic,
                        file.toString());
                replicas.add(ChildProcess.start("replica-" + i, pb, AWAIT));
                replicas.get(i).awaitOut("running");
            }
            produce(producer, topic, 0, perStream / 2);
            // Replica 0 is killed while it works through its partitions (2 ms a chunk): some of it processed, not committed.
            await().atMost(AWAIT).until(() -> lines(files.get(0)).size() >= 100);
            replicas.get(0).kill();
            produce(producer, topic, perStream / 2, perStream);
            await().atMost(AWAIT).until(() -> keys(files).size() == STREAMS * perStream);
            replicas.get(1).stop();
            replicas.get(2).stop();
        } finally {
            for (ChildProcess r : replicas) {
                r.close();
            }
        }

        Map<String, List<Boolean>> seen = new HashMap<>();
        for (Path f : files) {
            Map<String, Long> lastSeq = new HashMap<>();
            for (String line : lines(f)) {
                String[] p = line.split(" ");
                assertThat(p[0]).as("no gap in a stream produced without holes: " + line).isNotEqualTo("GAP");
                long seq = Long.parseLong(p[1]);
                Long last = lastSeq.put(p[0], seq);
                assertThat(last == null || seq > last).as(f.getFileName() + ": stream " + p[0] + " seq " + seq + " after " + last).isTrue();
                seen.computeIfAbsent(p[0] + " " + p[1], k -> new ArrayList<>()).add(Boolean.parseBoolean(p[2]));
            }
        }
        assertThat(seen).as("every chunk of every stream processed at least once").hasSize(STREAMS * perStream);
        Set<String> killedOnes = new HashSet<>(keys(List.of(files.get(0))));
        int duplicates = 0;
        for (Map.Entry<String, List<Boolean>> e : seen.entrySet()) {
            List<Boolean> flags = e.getValue();
            if (flags.size() > 1) {
                duplicates += flags.size() - 1;
                assertThat(flags.stream().filter(b -> b).count()).as(e.getKey() + " processed twice: the later one is flagged")
                        .isGreaterThanOrEqualTo(flags.size() - 1);
                assertThat(killedOnes).as(e.getKey() + " came twice: only the killed replica's uncommitted ones may").contains(e.getKey());
            }
        }
        assertThat(duplicates).as("duplicates only within the uncommitted window (one poll)")
                .isLessThanOrEqualTo(KafkaProcessorRunner.MAX_POLL_RECORDS);
        System.out.printf("3 replicas, one SIGKILLed after %d chunks: %d chunks, %d processed twice (all flagged)%n",
                killedOnes.size(), seen.size(), duplicates);
    }

    @Test
    void aNewGroupStartingAtOldestReplaysTheWholeHistory() throws Exception {
        String topic = createTopic("replay", 6);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            produce(producer, topic, 0, 50);
        }
        Path file = dir.resolve("replay.txt");
        List<String> lines = runUntil(topic, "replay-group", file, l -> l.size() >= STREAMS * 50);
        assertThat(lines).as("every chunk, once, none a redelivery").hasSize(STREAMS * 50)
                .allMatch(l -> l.endsWith(" false")).doesNotHaveDuplicates();
    }

    @Test
    void aHoleInAStreamIsExactlyOneGap() throws Exception {
        String topic = createTopic("holes", 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (long seq = 0; seq <= 20; seq++) {
                if (seq < 10 || seq >= 15) {
                    producer.send(ChunkRecords.toRecord(topic, chunk("holey", seq))).get();
                }
            }
        }
        List<String> lines = runUntil(topic, "holes-group", dir.resolve("holes.txt"), l -> l.contains("holey 20 false"));
        assertThat(lines.stream().filter(l -> l.startsWith("GAP"))).containsExactly("GAP holey 10 14 SOURCE_SKIPPED");
        assertThat(lines.indexOf("GAP holey 10 14 SOURCE_SKIPPED")).as("the gap comes before chunk 15")
                .isEqualTo(lines.indexOf("holey 15 false") - 1);
        assertThat(lines.stream().filter(l -> !l.startsWith("GAP")).map(l -> Long.parseLong(l.split(" ")[1])))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 15L, 16L, 17L, 18L, 19L, 20L);
    }

    @Test
    void whatRetentionDeletedBeforeTheGroupReadItIsAnExactGapForTheNextMember() throws Exception {
        String topic = createTopic("retained", 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (long seq = 0; seq < 10; seq++) {
                producer.send(ChunkRecords.toRecord(topic, chunk("kept", seq))).get();
            }
            runUntil(topic, "retained-group", dir.resolve("first.txt"), l -> l.contains("kept 9 false"));
            for (long seq = 10; seq < 20; seq++) {
                producer.send(ChunkRecords.toRecord(topic, chunk("kept", seq))).get();
            }
        }
        // What retention does to an old segment: the records before offset 15 are gone.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.broker().bootstrap()))) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(15))).all()
                    .get(60, TimeUnit.SECONDS);
        }
        // A new member of the same group (a new processor object: it knows only what the group committed).
        List<String> lines = runUntil(topic, "retained-group", dir.resolve("second.txt"), l -> l.contains("kept 19 false"));
        assertThat(lines).containsExactly("GAP kept 10 14 RETENTION_EXCEEDED", "kept 15 false", "kept 16 false", "kept 17 false",
                "kept 18 false", "kept 19 false");
    }

    /** Runs a member of a new group from the oldest record in this JVM until the file's lines are {@code done}. */
    private static List<String> runUntil(String topic, String group, Path file, Predicate<List<String>> done) throws Exception {
        KafkaProcessorRunner runner = new KafkaProcessorRunner(new LineFileProcessor("in-test", file, 0), kafka.broker().bootstrap(), group,
                topic, StartPosition.OLDEST);
        Thread t = new Thread(runner::run, "runner-" + group);
        t.start();
        try {
            await().atMost(AWAIT).until(() -> done.test(lines(file)));
        } finally {
            runner.close();
            t.join(30_000);
        }
        return lines(file);
    }

    private static String createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.broker().bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            // A producer that writes before every partition has its leader gets NOT_LEADER_OR_FOLLOWER, and then, seen
            // on this machine, OUT_OF_ORDER_SEQUENCE_NUMBER for good: the test waits for the leaders first.
            await().atMost(AWAIT).until(() -> admin.describeTopics(List.of(name)).allTopicNames().get(60, TimeUnit.SECONDS).get(name)
                    .partitions().stream().allMatch(p -> p.leader() != null && p.leader().id() >= 0));
        }
        return name;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.broker().bootstrap(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends chunks {@code from..to-1} of every stream; fails here, not by a timeout later, if the broker refused one. */
    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, int from, int to) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int seq = from; seq < to; seq++) {
            for (int s = 0; s < STREAMS; s++) {
                sent.add(producer.send(ChunkRecords.toRecord(topic, chunk("mic-" + s, seq))));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private static AudioChunk chunk(String stream, long seq) {
        return AudioChunk.ofFloats(stream, seq, System.currentTimeMillis() * 1_000_000L, 16_000, 1, SampleFormat.PCM_S16LE,
                new float[160]);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> keys(List<Path> files) {
        Set<String> keys = new HashSet<>();
        for (Path f : files) {
            for (String line : lines(f)) {
                if (!line.startsWith("GAP")) {
                    String[] p = line.split(" ");
                    keys.add(p[0] + " " + p[1]);
                }
            }
        }
        return keys;
    }
}
