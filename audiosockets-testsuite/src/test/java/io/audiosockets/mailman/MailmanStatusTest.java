package io.audiosockets.mailman;

import static io.audiosockets.testkit.Wire.expectError;
import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.Wire;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@link Mailman#status()} and the event listeners tell someone watching: every stream,
 * recorder and processor with figures that match what the clients did, the events as they
 * happen, and a processor that falls behind reported (in virtual time) and, once it has caught
 * up, reported again.
 */
@Timeout(60)
class MailmanStatusTest {
    @RegisterExtension
    final MailmanFixture fixture = MailmanFixture.virtualTime();

    @Test
    void statusHasEveryStreamRecorderAndProcessorWithWhatTheyDid() throws Exception {
        Mailman mailman = fixture.mailman();
        RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.OLDEST, "mic"));
        RawClient mic = fixture.track(recorder(mailman.port(), "mic"));
        produce(mic, "mic", 0, 9);
        List<Wire.Item> got = items(p, 10);
        assertThat(got).hasSize(10);
        p.send(new Ack("mic", 5));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MailmanStatus s = mailman.status();
            assertThat(s.processors()).singleElement().satisfies(ps -> {
                assertThat(ps.name()).isEqualTo("p");
                assertThat(ps.subscriptions()).containsExactly("mic");
                assertThat(ps.window()).isEqualTo(64);
                assertThat(ps.delivered()).isEqualTo(10);
                assertThat(ps.gaps()).isZero();
                assertThat(ps.lagChunks()).isEqualTo(4);
                assertThat(ps.cursors()).singleElement().satisfies(c -> {
                    assertThat(c.stream()).isEqualTo("mic");
                    assertThat(c.ackedSeq()).isEqualTo(5);
                    assertThat(c.nextSeq()).isEqualTo(10);
                    assertThat(c.inFlight()).isEqualTo(4);
                    assertThat(c.lagChunks()).isEqualTo(4);
                });
            });
        });
        MailmanStatus s = mailman.status();
        assertThat(s.streams()).singleElement().satisfies(st -> {
            assertThat(st.name()).isEqualTo("mic");
            assertThat(st.kind()).isEqualTo("audio");
            assertThat(st.recorderConnected()).isTrue();
            assertThat(st.chunksIn()).isEqualTo(10);
            assertThat(st.bytesIn()).isEqualTo(10L * Wire.audio("mic", 0).length); // the frames as encoded on the wire
            assertThat(st.lastSeq()).isEqualTo(9);
            assertThat(st.oldestSeq()).isZero();
            assertThat(st.retainedChunks()).isEqualTo(10);
            assertThat(st.retainedSeconds()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9)); // 10 x 10 ms
            assertThat(st.sampleRate()).isEqualTo(16_000);
            assertThat(st.channels()).isEqualTo(1);
            assertThat(st.chunksPerSecond()).isEqualTo(5.0); // 10 chunks within the 2 s window (virtual time stands still)
        });
        assertThat(s.recorders()).singleElement().satisfies(r -> {
            assertThat(r.stream()).isEqualTo("mic");
            assertThat(r.chunksReceived()).isEqualTo(10);
            assertThat(r.ackedSeq()).isEqualTo(9);
            assertThat(r.remoteAddress()).startsWith("127.0.0.1:");
        });
        assertThat(s.totals().chunksIn()).isEqualTo(10);
        assertThat(s.totals().deliveries()).isEqualTo(10);

        // What a level meter reads: copies of the newest chunks after a seq, oldest first.
        List<AudioChunk> recent = mailman.recentAudio("mic", 6, 100);
        assertThat(recent).extracting(AudioChunk::seq).containsExactly(7L, 8L, 9L);
        assertThat(recent.get(0).data()).isEqualTo(Wire.samples("mic", 7));
        assertThat(mailman.recentAudio("mic", -1, 2)).extracting(AudioChunk::seq).containsExactly(8L, 9L);
        assertThat(mailman.recentAudio("nothing", -1, 2)).isEmpty();
    }

    @Test
    void listenersGetJoinsLeavesGapsAndRefusalsAsTheyHappen() throws Exception {
        Mailman mailman = fixture.mailman();
        BlockingQueue<MailmanEvent> events = new LinkedBlockingQueue<>();
        mailman.addEventListener(events::add);

        RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.OLDEST, "mic"));
        assertThat(next(events)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(MailmanEvent.Kind.PROCESSOR_JOINED);
            assertThat(e.client()).isEqualTo("p");
        });
        RawClient mic = recorder(mailman.port(), "mic");
        assertThat(next(events)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(MailmanEvent.Kind.RECORDER_JOINED);
            assertThat(e.stream()).isEqualTo("mic");
        });
        produce(mic, "mic", 0, 1);
        produce(mic, "mic", 4, 4); // the source skipped 2..3: the processor gets a GAP for them
        items(p, 4);
        assertThat(next(events)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(MailmanEvent.Kind.GAP);
            assertThat(e.client()).isEqualTo("p");
            assertThat(e.stream()).isEqualTo("mic");
            assertThat(e.message()).contains("2..3", "SOURCE_SKIPPED");
        });
        RawClient bad = fixture.track(new RawClient(mailman.port()));
        bad.send(new Hello(Role.PROCESSOR.code(), "no spaces allowed", 1, "", 64, StartPosition.RESUME, List.of(), Map.of()));
        expectError(bad, ErrorCode.INVALID_NAME);
        assertThat(next(events)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(MailmanEvent.Kind.REFUSED);
            assertThat(e.message()).startsWith("INVALID_NAME: ");
            assertThat(e.client()).startsWith("127.0.0.1:");
        });
        assertThat(mailman.stats().refusedByCode()).containsEntry("INVALID_NAME", 1L);
        mic.close();
        assertThat(next(events)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(MailmanEvent.Kind.RECORDER_LEFT);
            assertThat(e.stream()).isEqualTo("mic");
        });
        p.close();
        assertThat(next(events).kind()).isEqualTo(MailmanEvent.Kind.PROCESSOR_LEFT);

        assertThat(mailman.status().recentEvents()).extracting(MailmanEvent::kind).containsExactly(
                MailmanEvent.Kind.PROCESSOR_JOINED, MailmanEvent.Kind.RECORDER_JOINED, MailmanEvent.Kind.GAP,
                MailmanEvent.Kind.REFUSED, MailmanEvent.Kind.RECORDER_LEFT, MailmanEvent.Kind.PROCESSOR_LEFT);
    }

    @Test
    void aProcessorBehindByMoreThanLagWarnSecondsIsReportedAndSoIsItsCatchingUp() throws Exception {
        Mailman mailman = fixture.mailman(); // LAG_WARN_SECONDS 2 by default
        BlockingQueue<MailmanEvent> events = new LinkedBlockingQueue<>();
        mailman.addEventListener(e -> {
            if (e.kind() == MailmanEvent.Kind.LAG || e.kind() == MailmanEvent.Kind.CAUGHT_UP) {
                events.add(e);
            }
        });
        try (LogCapture logs = new LogCapture()) {
            RawClient p = fixture.track(processor(mailman.port(), "slow", StartPosition.OLDEST, "mic"));
            RawClient mic = fixture.track(recorder(mailman.port(), "mic"));
            produce(mic, "mic", 0, 4);
            items(p, 5); // received, not acknowledged
            fixture.ticker().advance(Duration.ofSeconds(1));
            assertThat(events.poll(2500, TimeUnit.MILLISECONDS)).as("1 s behind is within LAG_WARN_SECONDS").isNull();

            fixture.ticker().advance(Duration.ofSeconds(2));
            assertThat(next(events)).satisfies(e -> {
                assertThat(e.kind()).isEqualTo(MailmanEvent.Kind.LAG);
                assertThat(e.client()).isEqualTo("slow");
                assertThat(e.stream()).isEqualTo("mic");
                assertThat(e.message()).contains("3.0 s behind stream 'mic'", "5 chunks");
            });
            assertThat(logs.has("processor 'slow'", "3.0 s behind stream 'mic'", "Make processData faster")).isTrue();
            assertThat(mailman.status().processors().get(0).lagSeconds()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));

            p.send(new Ack("mic", 4));
            assertThat(next(events).kind()).isEqualTo(MailmanEvent.Kind.CAUGHT_UP);
            assertThat(mailman.status().processors().get(0).lagSeconds()).isZero();
        }
    }

    private static MailmanEvent next(BlockingQueue<MailmanEvent> events) throws InterruptedException {
        MailmanEvent e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }
}
