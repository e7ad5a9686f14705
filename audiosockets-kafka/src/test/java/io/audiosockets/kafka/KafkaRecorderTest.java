package io.audiosockets.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.kafka.ChunkRecords;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.ScriptedSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * The recorder straight to Kafka against a real broker: a scripted source's chunks are all in
 * the topic, in order, with the right headers, bytes and capture times; a second recorder goes
 * on from a given seq; a file source waits for a Kafka that is down and loses nothing.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaRecorderTest {
    /** 20 ms of 16 kHz. */
    private static final int FRAMES = 320;
    private static final Duration PERIOD = Duration.ofMillis(20);
    private static final long PERIOD_NANOS = PERIOD.toNanos();
    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void everyChunkOfTheSourceIsInTheTopicInOrderWithItsHeaders() throws Exception {
        String topic = "recorded";
        int chunks = 300;
        ScriptedSource source = new ScriptedSource(FRAMES, chunks, false, -1);
        try (KafkaRecorder recorder = new KafkaRecorder(source, KafkaRecorder.Options.of("room-1", PERIOD, kafka.broker().bootstrap(), topic))) {
            recorder.start(); // returns once Kafka acknowledged every record
            assertThat(recorder.chunksCaptured()).isEqualTo(chunks);
            assertThat(recorder.recordsWritten()).isEqualTo(chunks);
        }

        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.broker(), topic, chunks);
        assertThat(records).hasSize(chunks);
        long firstTime = ChunkRecords.fromRecord(records.get(0)).captureTimeNanos();
        for (int i = 0; i < chunks; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            AudioChunk c = ChunkRecords.fromRecord(r);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("room-1");
            assertThat(new String(r.headers().lastHeader(ChunkRecords.STREAM).value(), StandardCharsets.UTF_8)).isEqualTo("room-1");
            assertThat(ChunkRecords.seqOf(r.headers())).as("record %d", i).isEqualTo(i);
            assertThat(c.seq()).isEqualTo(i);
            assertThat(ByteBuffer.wrap(r.headers().lastHeader(ChunkRecords.CAPTURE_NANOS).value()).getLong())
                    .isEqualTo(c.captureTimeNanos());
            assertThat(c.captureTimeNanos() - firstTime).as("capture time of seq %d, counted in samples", i).isEqualTo(i * PERIOD_NANOS);
            assertThat(source.isChunk(i, c.data())).as("the bytes of chunk %d", i).isTrue();
            assertThat(c.format()).isEqualTo(ScriptedSource.FORMAT.sampleFormat());
            assertThat(c.sampleRate()).isEqualTo(ScriptedSource.FORMAT.sampleRate());
        }
        assertThat(firstTime).as("capture time near now").isCloseTo(System.currentTimeMillis() * 1_000_000L,
                org.assertj.core.data.Offset.offset(TimeUnit.MINUTES.toNanos(5)));
    }

    @Test
    void aRecorderGivenAFirstSeqGoesOnFromIt() throws Exception {
        String topic = "recorded-twice";
        KafkaRecorder.Options options = KafkaRecorder.Options.of("room-2", PERIOD, kafka.broker().bootstrap(), topic);
        try (KafkaRecorder first = new KafkaRecorder(new ScriptedSource(FRAMES, 50, false, -1), options)) {
            first.start();
        }
        try (KafkaRecorder second = new KafkaRecorder(new ScriptedSource(FRAMES, 50, false, -1), options.withFirstSeq(50))) {
            second.start();
        }
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.broker(), topic, 100);
        assertThat(TopicReader.seqsByStream(records).get("room-2")).containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
    }

    @Test
    void aFileSourceWaitsForAKafkaThatIsDownAndLosesNothing() throws Exception {
        String topic = "recorded-late";
        TopicReader.create(kafka.broker(), topic, 1);
        int chunks = 100;
        kafka.broker().stop();
        try (Restart restart = new Restart();
             LogCapture log = new LogCapture();
             KafkaRecorder recorder = new KafkaRecorder(new ScriptedSource(FRAMES, chunks, false, -1),
                     KafkaRecorder.Options.of("room-3", PERIOD, kafka.broker().bootstrap(), topic))) {
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
                try {
                    recorder.start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Awaitility.await("the recorder says Kafka is not taking records").atMost(Duration.ofSeconds(60))
                    .until(() -> log.has("kafka recorder 'room-3'", "topic 'recorded-late'", "seq 0 waits",
                            "the source is held back; nothing is dropped"));
            assertThat(recorder.chunksCaptured()).as("the source is held back at the first chunk").isEqualTo(1);
            restart.now();
            done.get(90, TimeUnit.SECONDS);
            assertThat(recorder.recordsWritten()).isEqualTo(chunks);
        }
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.broker(), topic, chunks);
        assertThat(TopicReader.seqsByStream(records).get("room-3")).containsExactlyElementsOf(LongStream.range(0, chunks).boxed().toList());
    }

    /** Starts the broker again, at the latest when the test ends, so that a failure leaves it running for the next test. */
    private static final class Restart implements AutoCloseable {
        void now() throws Exception {
            if (!kafka.broker().isRunning()) {
                kafka.broker().start();
            }
        }

        @Override
        public void close() throws Exception {
            now();
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> KafkaRecorder.Options.of("room 1", PERIOD, kafka.broker().bootstrap(), "t"))
                .hasMessageContaining("stream name 'room 1'");
        assertThatThrownBy(() -> KafkaRecorder.Options.of("room", PERIOD, kafka.broker().bootstrap(), "no/such"))
                .hasMessageContaining("'no/such' is not a Kafka topic name");
        assertThatThrownBy(() -> new KafkaRecorder(new ScriptedSource(FRAMES, 1, false, -1),
                KafkaRecorder.Options.of("room", PERIOD, " ", "t"))).hasMessageContaining("no Kafka bootstrap servers");
    }
}
