package io.audiosockets.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.kafka.ChunkRecords;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.Wire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge from a real mailman into a real Kafka broker: ten streams from raw recorders, the
 * bridge subscribed to all, a plain consumer reading the topic. Every chunk arrives, in order per
 * stream, with its headers, its value the chunk's AUDIO frame; with the broker stopped for a while
 * nothing the bridge held is lost, and the mailman's other processor does not notice; a bridge
 * stopped while Kafka is down leaves what it held to the next bridge under its name.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaBridgeTest {
    private static final int STREAMS = 10;
    private static final Duration AWAIT = Duration.ofSeconds(90);
    /** How long the broker stays down in the outage test, at least (its stop and start take longer still). */
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    /**
     * The raw recorders answer no heartbeat while the test waits on the broker (whose stop and start
     * may take 20 s): a mailman that waits long for them does not take them for dead.
     */
    private Mailman mailman;
    private NetworkConfig client;

    @BeforeEach
    void startMailman() {
        mailman = fixture.start(TestConfigs.fast().heartbeatTimeout(Duration.ofMinutes(5)));
        client = TestConfigs.clientOf(mailman.config(), mailman.port());
    }

    @Test
    void everyChunkOfEveryStreamIsInTheTopicOnceInOrderAsItsAudioFrame() throws Exception {
        String topic = "bridge-all";
        TopicReader.create(kafka.broker(), topic, 3);
        KafkaBridge bridge = startBridge(topic);
        List<RawClient> recorders = recorders();
        int perStream = 40;
        for (int s = 0; s < STREAMS; s++) {
            Wire.produce(recorders.get(s), stream(s), 0, perStream - 1);
        }

        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.broker(), topic, STREAMS * perStream);

        assertThat(records).as("one record per chunk, none twice").hasSize(STREAMS * perStream);
        Map<String, List<Long>> seqs = TopicReader.seqsByStream(records);
        for (int s = 0; s < STREAMS; s++) {
            assertThat(seqs.get(stream(s))).as("seqs of %s in Kafka's order", stream(s))
                    .containsExactlyElementsOf(LongStream.range(0, perStream).boxed().toList());
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String stream = new String(r.key(), StandardCharsets.UTF_8);
            long seq = ChunkRecords.seqOf(r.headers());
            AudioChunk expected = Wire.chunk(stream, seq);
            assertThat(new String(r.headers().lastHeader(ChunkRecords.STREAM).value(), StandardCharsets.UTF_8)).isEqualTo(stream);
            assertThat(ByteBuffer.wrap(r.headers().lastHeader(ChunkRecords.CAPTURE_NANOS).value()).getLong())
                    .isEqualTo(expected.captureTimeNanos());
            assertThat(r.value()).as("%s seq %d: the AUDIO frame the recorder sent", stream, seq).isEqualTo(Wire.audio(stream, seq));
            assertThat(ChunkRecords.fromRecord(r)).isEqualTo(expected);
        }
        assertThat(bridge.recordsWritten()).isEqualTo(STREAMS * perStream);
        assertThat(bridge.retries()).isZero();
        assertThat(bridge.gaps()).isZero();
    }

    @Test
    void aBrokerOutageLosesNothingTheBridgeHeldAndDoesNotHoldUpTheOtherProcessors() throws Exception {
        String topic = "bridge-outage";
        TopicReader.create(kafka.broker(), topic, 3);
        CollectingProcessor other = fixture.track(new CollectingProcessor(ProcessorOptions.builder("other")
                .config(client).start(StartPosition.OLDEST).shutdownHook(false).build()));
        other.startAsync().connected().get(30, TimeUnit.SECONDS);
        KafkaBridge bridge = startBridge(topic);
        List<RawClient> recorders = recorders();
        int before = 20;
        int during = 30;
        int after = 10;
        produceAll(recorders, 0, before);
        Awaitility.await("the bridge wrote the first chunks").atMost(AWAIT).until(() -> bridge.recordsWritten() == STREAMS * before);

        kafka.broker().stop();
        long down = System.nanoTime();
        produceAll(recorders, before, during);
        CollectingProcessor.await("the other processor gets every chunk while Kafka is down",
                () -> other.chunks.size() == STREAMS * (before + during));
        assertThat(bridge.recordsWritten()).as("nothing reaches a stopped broker").isEqualTo(STREAMS * before);
        long left = OUTAGE.toNanos() - (System.nanoTime() - down);
        if (left > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left)); // the outage's length, the scenario itself: nothing waits on it
        }
        assertThat(bridge.recordsWritten()).as("still nothing after %s down", OUTAGE).isEqualTo(STREAMS * before);
        kafka.broker().start();
        produceAll(recorders, before + during, after);

        int total = before + during + after;
        Awaitility.await("the bridge wrote everything after the restart").atMost(AWAIT)
                .until(() -> bridge.recordsWritten() >= STREAMS * total);
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.broker(), topic, STREAMS * total);
        Map<String, List<Long>> seqs = TopicReader.seqsByStream(records);
        for (int s = 0; s < STREAMS; s++) {
            List<Long> got = seqs.get(stream(s));
            assertThat(got).as("every seq of %s in Kafka", stream(s))
                    .containsAll(LongStream.range(0, total).boxed().toList());
            assertThat(got).as("%s in order (a chunk sent again may follow itself)", stream(s)).isSorted();
            assertThat(got.subList(0, before)).as("%s before the outage: once each", stream(s))
                    .containsExactlyElementsOf(LongStream.range(0, before).boxed().toList());
        }
        for (int s = 0; s < STREAMS; s++) {
            assertThat(other.seqs(stream(s))).as("the other processor's %s", stream(s))
                    .containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
        }
        assertThat(other.gaps).isEmpty();
        assertThat(bridge.gaps()).isZero();
        System.out.printf("Kafka bridge outage: %d records written, %d retries, broker down about %d ms%n",
                bridge.recordsWritten(), bridge.retries(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down));
    }

    @Test
    void aBridgeStoppedWhileKafkaIsDownLeavesWhatItHeldToTheNextBridgeOfItsName() throws Exception {
        String topic = "bridge-handover";
        int streams = 3;
        TopicReader.create(kafka.broker(), topic, 3);
        KafkaBridge first = startBridge(topic);
        List<RawClient> recorders = recorders().subList(0, streams);
        for (int s = 0; s < streams; s++) {
            Wire.produce(recorders.get(s), stream(s), 0, 9);
        }
        Awaitility.await("the first bridge wrote seqs 0..9").atMost(AWAIT).until(() -> first.recordsWritten() == streams * 10);

        kafka.broker().stop();
        try (LogCapture log = new LogCapture()) {
            for (int s = 0; s < streams; s++) {
                Wire.produce(recorders.get(s), stream(s), 10, 19); // the mailman has them, the first bridge cannot write them
            }
            Awaitility.await("the mailman sent seqs 10..19 to the bridge").atMost(AWAIT)
                    .until(() -> mailman.stats().snapshot().deliveries() >= streams * 20);
            // A bridge that acknowledged before Kafka had the chunk would be done with them and never say this.
            Awaitility.await("the bridge says it holds a chunk Kafka has not taken").atMost(AWAIT)
                    .until(() -> log.has("kafka bridge 'kafka-bridge'", "has not taken stream '" + stream(0) + "' seq 10",
                            "topic '" + topic + "'", "start Kafka"));
        }
        first.close();
        assertThat(first.recordsWritten()).isEqualTo(streams * 10);
        kafka.broker().start();

        KafkaBridge second = startBridge(topic, StartPosition.RESUME); // where the name stopped: OLDEST would drop that
        Awaitility.await("the second bridge wrote what the first one held").atMost(AWAIT)
                .until(() -> second.recordsWritten() >= streams * 10);
        Map<String, List<Long>> seqs = TopicReader.seqsByStream(TopicReader.readAll(kafka.broker(), topic, streams * 20));
        for (int s = 0; s < streams; s++) {
            assertThat(seqs.get(stream(s))).as("every seq of %s in Kafka, in order", stream(s))
                    .containsAll(LongStream.range(0, 20).boxed().toList()).isSorted();
        }
        assertThat(second.redeliveries()).as("the mailman flags what it had sent to the first bridge").isPositive();
    }

    @Test
    void sendsTheProducerGaveUpOnAreSentAgainInOrderWithTheStreamsLaterChunks() throws Exception {
        String topic = "bridge-resend";
        int streams = 3;
        TopicReader.create(kafka.broker(), topic, 3);
        kafka.broker().stop();
        // With Kafka down from the start the producer has no metadata: each send gives up after max.block.ms and the bridge
        // sends the stream's records again. A short max.block.ms makes that happen many times while the broker is down.
        KafkaBridge bridge = fixture.track(new KafkaBridge(ProcessorOptions.builder("kafka-bridge").config(client)
                .start(StartPosition.OLDEST).window(8).shutdownHook(false).build(), kafka.broker().bootstrap(), topic,
                Map.of("max.block.ms", 300)));
        List<RawClient> recorders = recorders().subList(0, streams);
        try (LogCapture log = new LogCapture()) {
            bridge.startAsync().connected().get(30, TimeUnit.SECONDS);
            for (int s = 0; s < streams; s++) {
                Wire.produce(recorders.get(s), stream(s), 0, 19); // more than the window: the rest waits at the mailman
            }
            Awaitility.await("the bridge sent records again after the producer gave up on them").atMost(AWAIT)
                    .until(() -> bridge.retries() >= streams);
            assertThat(log.has("kafka bridge 'kafka-bridge'", "failed (TimeoutException", "sending it and the stream's later chunks again"))
                    .as("the failure in the log").isTrue();
        }
        assertThat(bridge.recordsWritten()).isZero();
        kafka.broker().start();
        Awaitility.await("everything written and acknowledged once Kafka is back").atMost(AWAIT)
                .until(() -> mailman.status().processors().stream().filter(p -> p.name().equals("kafka-bridge"))
                        .flatMap(p -> p.cursors().stream()).filter(c -> c.ackedSeq() == 19).count() == streams);
        Map<String, List<Long>> seqs = TopicReader.seqsByStream(TopicReader.readAll(kafka.broker(), topic, streams * 20));
        for (int s = 0; s < streams; s++) {
            assertThat(seqs.get(stream(s))).as("every seq of %s in Kafka, once, in order", stream(s))
                    .containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
        }
        assertThat(bridge.pendingAcknowledgements()).isZero();
    }

    @Test
    void aGapIsLoggedAndCountedAndNothingIsWrittenForIt() throws Exception {
        String topic = "bridge-gap";
        TopicReader.create(kafka.broker(), topic, 1);
        try (LogCapture log = new LogCapture()) {
            KafkaBridge bridge = startBridge(topic);
            RawClient recorder = recorders().get(0);
            Wire.produce(recorder, stream(0), 0, 4);
            Wire.produce(recorder, stream(0), 10, 14); // the recorder skipped 5..9: the mailman announces a gap
            Awaitility.await("the bridge wrote the chunks around the gap").atMost(AWAIT).until(() -> bridge.recordsWritten() == 10);
            assertThat(TopicReader.seqsByStream(TopicReader.readAll(kafka.broker(), topic, 10)).get(stream(0)))
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 11L, 12L, 13L, 14L);
            assertThat(bridge.gaps()).isEqualTo(1);
            assertThat(bridge.gapChunks()).isEqualTo(5);
            assertThat(log.has("kafka bridge 'kafka-bridge'", "stream '" + stream(0) + "' seq 5..9", "nothing written to topic '"
                    + topic + "'")).as("the gap in the log").isTrue();
        }
    }

    private KafkaBridge startBridge(String topic) throws Exception {
        return startBridge(topic, StartPosition.OLDEST);
    }

    private KafkaBridge startBridge(String topic, StartPosition start) throws Exception {
        KafkaBridge bridge = fixture.track(new KafkaBridge(ProcessorOptions.builder("kafka-bridge").config(client)
                .start(start).shutdownHook(false).build(), kafka.broker().bootstrap(), topic));
        bridge.startAsync().connected().get(30, TimeUnit.SECONDS);
        return bridge;
    }

    private List<RawClient> recorders() throws Exception {
        List<RawClient> out = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            out.add(fixture.track(Wire.recorder(mailman.port(), stream(s))));
        }
        return out;
    }

    private static void produceAll(List<RawClient> recorders, long from, int count) throws Exception {
        for (int s = 0; s < STREAMS; s++) {
            Wire.produce(recorders.get(s), stream(s), from, from + count - 1);
        }
    }

    private static String stream(int s) {
        return "mic-" + s;
    }
}
