package io.audiosockets.processor;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.protocol.ContentType;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A processor's results as a stream of their own, end to end with the Java clients: what a
 * {@link ResultPublisher} publishes reaches every {@link BaseProcessor} that subscribes to it, in
 * order and whole, resumes under the subscriber's name, and mixes with audio.
 */
@Timeout(60)
class ResultPublisherTest {
    @RegisterExtension
    final Closer closer = new Closer();

    /** Collects the records and the chunks it is given. */
    static final class Subscriber extends BaseProcessor {
        final List<ResultRecord> records = new CopyOnWriteArrayList<>();
        final List<AudioChunk> chunks = new CopyOnWriteArrayList<>();

        Subscriber(ProcessorOptions options) {
            super(options);
        }

        @Override
        protected void processData(AudioChunk chunk) {
            chunks.add(chunk);
        }

        @Override
        protected void processRecord(ResultRecord record) {
            records.add(record);
        }

        List<Long> seqs() {
            return records.stream().map(ResultRecord::seq).toList();
        }
    }

    private Subscriber subscriber(NetworkConfig client, String name, String... streams) {
        Subscriber s = closer.track(new Subscriber(ProcessorOptions.builder(name).config(client).subscribe(streams).build()));
        s.startAsync();
        return s;
    }

    private static String event(long i) {
        return "{\"event\":\"e" + i + "\",\"p\":" + i / 100.0 + "}";
    }

    private static long time(long i) {
        return 1_700_000_000_000_000_000L + i * 32_000_000L; // one per 32 ms window
    }

    @Test
    void everyPublishedRecordReachesASubscriberInOrderAndWhole() throws Exception {
        Mailman mailman = closer.track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        Subscriber s = subscriber(client, "events", "mic.vad");
        s.connected().join();
        ResultPublisher vad = closer.track(new ResultPublisher("mic.vad", client).start());
        for (long i = 0; i < 50; i++) {
            vad.publishJson(time(i), 32_000_000L, event(i));
        }
        vad.publishFloats(time(50), 32_000_000L, 0.25f, 0.5f, 0.75f);
        await("every record", () -> s.records.size() == 51);

        assertThat(s.seqs()).containsExactlyElementsOf(LongStream.range(0, 51).boxed().toList());
        for (long i = 0; i < 50; i++) {
            ResultRecord r = s.records.get((int) i);
            assertThat(r.text()).isEqualTo(event(i));
            assertThat(r.timeNanos()).isEqualTo(time(i));
            assertThat(r.durationNanos()).isEqualTo(32_000_000L);
            assertThat(r.contentType()).isEqualTo(ContentType.JSON);
        }
        assertThat(s.records.get(50).floats()).containsExactly(0.25f, 0.5f, 0.75f);
        await("all acknowledged", () -> vad.acknowledged() == 51);
    }

    @Test
    void aSubscriberThatComesBackUnderItsNameContinuesWhereItLeftOff() throws Exception {
        Mailman mailman = closer.track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        ResultPublisher vad = closer.track(new ResultPublisher("mic.vad", client).start());
        Subscriber first = subscriber(client, "events", "mic.vad");
        first.connected().join();
        for (long i = 0; i < 20; i++) {
            vad.publishJson(time(i), 0, event(i));
        }
        await("the first 20", () -> first.records.size() == 20);
        first.close();
        for (long i = 20; i < 40; i++) {
            vad.publishJson(time(i), 0, event(i));
        }
        await("the mailman holds all 40", () -> vad.acknowledged() == 40);

        Subscriber again = subscriber(client, "events", "mic.vad");
        await("the rest", () -> again.records.size() == 20);
        assertThat(again.seqs()).containsExactlyElementsOf(LongStream.range(20, 40).boxed().toList());
        assertThat(again.redeliveries()).isZero();
    }

    @Test
    void aProcessorSubscribedToAudioAndItsResultsGetsBoth() throws Exception {
        Mailman mailman = closer.track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        Subscriber both = subscriber(client, "both", "mic", "mic.vad");
        both.connected().join();
        Recorder recorder = closer.track(new Recorder(new ScriptedSource(320, 10, false, -1),
                RecorderOptions.builder().config(client).stream("mic").period(Duration.ofMillis(20)).build()));
        recorder.startAsync();
        ResultPublisher vad = closer.track(new ResultPublisher("mic.vad", client).start());
        for (long i = 0; i < 10; i++) {
            vad.publishJson(time(i), 0, event(i));
        }
        await("10 chunks and 10 records", () -> both.chunks.size() == 10 && both.records.size() == 10);
        assertThat(both.seqs()).containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
        assertThat(both.chunks).extracting(AudioChunk::seq).containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
    }

    @Test
    void closeRightAfterStartStillDeliversWhatWasPublished() throws Exception {
        Mailman mailman = closer.track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        Subscriber s = subscriber(client, "events", "mic.vad");
        s.connected().join();
        ResultPublisher vad = new ResultPublisher("mic.vad", client).start();
        for (long i = 0; i < 5; i++) {
            vad.publishJson(time(i), 0, event(i));
        }
        vad.close(); // before the first WELCOME, most likely: it still waits for them to be acknowledged
        assertThat(vad.unacknowledged()).isZero();
        await("all 5", () -> s.records.size() == 5);
    }

    @Test
    void recordsPublishedBeforeTheMailmanComesAreDeliveredWhenItDoes() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        NetworkConfig config = TestConfigs.fast().port(port).build();
        ResultPublisher vad = closer.track(new ResultPublisher("mic.vad", config).start());
        for (long i = 0; i < 30; i++) {
            vad.publishJson(time(i), 0, event(i));
        }
        assertThat(vad.acknowledged()).isZero();
        closer.track(new Mailman(config).startAsync());
        Subscriber s = subscriber(config, "late", "mic.vad");
        await("all 30", () -> s.records.size() == 30);
        assertThat(s.seqs()).containsExactlyElementsOf(LongStream.range(0, 30).boxed().toList());
    }
}
