package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.GapFrame;
import static io.audiosockets.testkit.Wire.audio;
import static io.audiosockets.testkit.Wire.awaitAck;
import static io.audiosockets.testkit.Wire.batch;
import static io.audiosockets.testkit.Wire.expectError;
import static io.audiosockets.testkit.Wire.expectNothingMore;
import static io.audiosockets.testkit.Wire.hello;
import static io.audiosockets.testkit.Wire.next;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.publisher;
import static io.audiosockets.testkit.Wire.record;
import static io.audiosockets.testkit.Wire.recordFrame;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.internal.protocol.RecordFrame;
import io.audiosockets.internal.protocol.RecordMessage;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Result streams (PROTOCOL.md §9), byte by byte: a publisher's RECORDs reach processors of
 * protocol version 2 in order, with the guarantees of audio (ACKs, resume, gaps, retention), and
 * never a processor of version 1; what breaks the rules of §9 is refused with a precise error.
 */
@Timeout(30)
class ResultStreamsTest {
    @RegisterExtension
    final Closer closer = new Closer();

    private Mailman mailman() {
        return closer.track(new Mailman(TestConfigs.fast().build()).startAsync());
    }

    private Mailman mailman(Duration retention) {
        return closer.track(new Mailman(TestConfigs.fast().retention(retention).build()).startAsync());
    }

    /** A raw processor of protocol version 2, past its WELCOME. */
    private RawClient processorV2(Mailman m, String name, StartPosition start, String... streams) throws IOException {
        RawClient c = closer.track(new RawClient(m.port()));
        c.send(new Hello(Role.PROCESSOR.code(), name, name.hashCode(), "", 64, start, List.of(streams), Map.of(), 2));
        assertThat(next(c)).as("WELCOME to processor %s", name).isInstanceOf(Welcome.class);
        return c;
    }

    /** Sends records {@code from..to} of the publisher's stream and waits for the ACK of {@code to}. */
    private static void publish(RawClient publisher, String stream, long from, long to) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            publisher.send(recordFrame(stream, seq));
        }
        awaitAck(publisher, to);
    }

    /** The next {@code n} items, as "R seq" for a record (checked against {@link io.audiosockets.testkit.Wire#record}), "A seq", or "GAP from..to REASON". */
    private static List<String> items(RawClient c, int n) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = next(c);
            if (m instanceof RecordFrame f) {
                try {
                    ResultRecord r = f.toRecord();
                    assertThat(r).as("record %d, byte for byte", f.seq()).isEqualTo(record(f.stream(), f.seq()));
                    out.add("R " + f.stream() + " " + f.seq() + (f.redelivery() ? " redelivered" : ""));
                } finally {
                    f.release();
                }
            } else if (m instanceof AudioFrame f) {
                out.add("A " + f.stream() + " " + f.seq());
                f.release();
            } else if (m instanceof GapFrame gFrame) {
                Gap g = gFrame.gap();
                out.add("GAP " + g.stream() + " " + g.fromSeq() + ".." + g.toSeq() + " " + g.reason());
            } else {
                throw new AssertionError("item " + i + " is " + m + " (so far " + out + ")");
            }
        }
        return out;
    }

    @Test
    void aPublishersRecordsReachVersion2ProcessorsInOrderAndAreAcknowledged() throws Exception {
        Mailman m = mailman();
        RawClient all = processorV2(m, "all", StartPosition.RESUME);
        RawClient named = processorV2(m, "named", StartPosition.RESUME, "mic.vad");
        RawClient pub = closer.track(publisher(m.port(), "mic.vad"));
        publish(pub, "mic.vad", 0, 4);

        List<String> expected = List.of("R mic.vad 0", "R mic.vad 1", "R mic.vad 2", "R mic.vad 3", "R mic.vad 4");
        assertThat(items(all, 5)).containsExactlyElementsOf(expected);
        assertThat(items(named, 5)).containsExactlyElementsOf(expected);
    }

    @Test
    void aVersion1ProcessorGetsTheAudioButNeverARecord() throws Exception {
        Mailman m = mailman();
        try (LogCapture log = new LogCapture()) {
            RawClient v1all = closer.track(processor(m.port(), "v1all", StartPosition.RESUME));
            RawClient v1named = closer.track(processor(m.port(), "v1named", StartPosition.RESUME, "mic.vad"));
            RawClient both = processorV2(m, "both", StartPosition.RESUME);
            RawClient pub = closer.track(publisher(m.port(), "mic.vad"));
            RawClient rec = closer.track(recorder(m.port(), "mic"));
            publish(pub, "mic.vad", 0, 1);
            produce(rec, "mic", 0, 1);

            assertThat(items(v1all, 2)).containsExactly("A mic 0", "A mic 1");
            expectNothingMore(v1all);
            expectNothingMore(v1named);
            assertThat(items(both, 4)).containsExactlyInAnyOrder("R mic.vad 0", "R mic.vad 1", "A mic 0", "A mic 1");
            assertThat(log.has("processor 'v1named'", "result stream 'mic.vad'", "protocol version 1")).isTrue();
        }
    }

    @Test
    void aProcessorResumesAResultStreamWhereItsNameLeftOffAndGetsTheUnacknowledgedAgainFlagged() throws Exception {
        Mailman m = mailman();
        RawClient p = processorV2(m, "p", StartPosition.RESUME, "mic.vad");
        RawClient pub = closer.track(publisher(m.port(), "mic.vad"));
        publish(pub, "mic.vad", 0, 4);
        assertThat(items(p, 5)).hasSize(5);
        p.send(batch(new Ack("mic.vad", 2), new Bye(m.config().disconnectMsg())));
        assertThat(next(p)).isInstanceOf(Bye.class);
        publish(pub, "mic.vad", 5, 5);

        RawClient again = processorV2(m, "p", StartPosition.RESUME, "mic.vad");
        assertThat(items(again, 3)).containsExactly("R mic.vad 3 redelivered", "R mic.vad 4 redelivered", "R mic.vad 5");
    }

    @Test
    void aSkipInAResultStreamIsAGapAndAProcessorThatFallsBehindItsRetentionGetsOne() throws Exception {
        Mailman m = mailman(Duration.ofSeconds(1));
        RawClient slow = closer.track(new RawClient(m.port()));
        slow.send(new Hello(Role.PROCESSOR.code(), "slow", 5, "", 1, StartPosition.RESUME, List.of("mic.vad"), Map.of(), 2));
        assertThat(next(slow)).isInstanceOf(Welcome.class);
        RawClient pub = closer.track(publisher(m.port(), "mic.vad"));
        publish(pub, "mic.vad", 0, 1);
        publish(pub, "mic.vad", 4, 4); // the publisher skipped 2 and 3
        // Records 10 ms apart in time: 150 more span 1.5 s, more than the 1 s retention.
        publish(pub, "mic.vad", 5, 154);

        assertThat(items(slow, 1)).containsExactly("R mic.vad 0"); // window 1: nothing more until it acknowledges
        slow.send(new Ack("mic.vad", 0));
        List<String> got = items(slow, 2);
        // Kept: the records whose time lies within 1 s of the newest one's (54, at 540 ms, to 154, at 1540 ms).
        assertThat(got.get(0)).isEqualTo("GAP mic.vad 1..53 RETENTION_EXCEEDED");
        assertThat(got.get(1)).isEqualTo("R mic.vad 54");

        RawClient fresh = processorV2(m, "fresh", StartPosition.OLDEST, "mic.vad");
        assertThat(items(fresh, 1)).containsExactly("R mic.vad 54");
        RawClient back = processorV2(m, "back", StartPosition.secondsBack(Duration.ofMillis(100)), "mic.vad");
        assertThat(items(back, 1)).as("100 ms before the newest record's time").containsExactly("R mic.vad 144");
    }

    @Test
    void aSkipBetweenRecordsReachesProcessorsAsASourceSkippedGap() throws Exception {
        Mailman m = mailman();
        RawClient p = processorV2(m, "p", StartPosition.RESUME, "mic.vad");
        RawClient pub = closer.track(publisher(m.port(), "mic.vad"));
        publish(pub, "mic.vad", 0, 1);
        publish(pub, "mic.vad", 4, 4);

        assertThat(items(p, 4)).containsExactly("R mic.vad 0", "R mic.vad 1", "GAP mic.vad 2..3 SOURCE_SKIPPED", "R mic.vad 4");
    }

    @Test
    void whatBreaksTheRulesOfResultStreamsIsRefusedPrecisely() throws Exception {
        Mailman m = mailman();
        // A publisher needs a version-2 HELLO.
        RawClient v1pub = closer.track(new RawClient(m.port()));
        v1pub.send(hello(Role.PUBLISHER, "mic.vad", 1));
        assertThat(expectError(v1pub, ErrorCode.UNKNOWN_ROLE).message()).contains("version 2");
        // RECORD exists from version 2: in a version-1 header it is malformed.
        RawClient pub = closer.track(publisher(m.port(), "mic.vad"));
        byte[] v1record = recordFrame("mic.vad", 0);
        v1record[2] = 1;
        pub.send(v1record);
        assertThat(expectError(pub, ErrorCode.MALFORMED_FRAME).message()).contains("RECORD", "version 2");
        // A recorder sends AUDIO, a publisher RECORDs.
        RawClient rec = closer.track(recorder(m.port(), "mic"));
        rec.send(RawClient.encode(new RecordMessage(record("mic", 0))));
        assertThat(expectError(rec, ErrorCode.UNEXPECTED_FRAME).message()).contains("publisher");
        RawClient pub2 = closer.track(publisher(m.port(), "mic.events"));
        pub2.send(audio("mic.events", 0));
        assertThat(expectError(pub2, ErrorCode.UNEXPECTED_FRAME).message()).contains("AUDIO from a publisher");
        // A stream keeps its kind: no results under the name of a stream of audio.
        RawClient audio = closer.track(recorder(m.port(), "room"));
        produce(audio, "room", 0, 0);
        audio.send(new Bye(m.config().disconnectMsg()));
        assertThat(next(audio)).isInstanceOf(Bye.class);
        // Gone, but its stream is kept (RETENTION_SECONDS): the name still carries audio.
        io.audiosockets.testkit.CollectingProcessor.await("the recorder released its name", () -> m.recorders().isEmpty());
        assertThat(m.streams()).contains("room");
        RawClient squatter = closer.track(new RawClient(m.port()));
        squatter.send(hello(Role.PUBLISHER, "room", 2).withVersion(2));
        assertThat(expectError(squatter, ErrorCode.INVALID_VALUE).message()).contains("'room' carries audio");
    }
}
