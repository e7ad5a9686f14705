package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.GapFrame;
import static io.audiosockets.testkit.CollectingProcessor.await;
import static io.audiosockets.testkit.Wire.Item;
import static io.audiosockets.testkit.Wire.audio;
import static io.audiosockets.testkit.Wire.audioItems;
import static io.audiosockets.testkit.Wire.awaitAck;
import static io.audiosockets.testkit.Wire.batch;
import static io.audiosockets.testkit.Wire.expectError;
import static io.audiosockets.testkit.Wire.expectNothingMore;
import static io.audiosockets.testkit.Wire.header;
import static io.audiosockets.testkit.Wire.hello;
import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.next;
import static io.audiosockets.testkit.Wire.nextAudioBytes;
import static io.audiosockets.testkit.Wire.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.Pong;
import io.audiosockets.internal.protocol.ReplayAnswer;
import io.audiosockets.internal.protocol.ReplayRequest;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.VirtualTicker;
import io.audiosockets.testkit.Wire;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance rules of PROTOCOL.md §8, one test per rule, in the document's order and named
 * after it (C1..C26). Each test drives a real mailman on a loopback port with raw frames only
 * ({@link Wire}, {@link RawClient}), as a client written from the document alone would, and
 * asserts exactly what the rule states: the codes, the ranges and the order of frames. When a
 * rule changes in the document, the test of the same number changes with it.
 *
 * <p>Where time is the subject (heartbeats, the join point), the mailman is configured with short
 * timers and the tests wait generously; nothing asserts how long anything took.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProtocolConformanceTest {
    /** 20 ms at 16 kHz: the chunk size of the rules that speak of 20 ms chunks. */
    private static final int FRAMES_20MS = 320;

    @RegisterExtension
    final Closer closer = new Closer();

    private Mailman mailman(UnaryOperator<NetworkConfig.Builder> settings) {
        return closer.track(new Mailman(settings.apply(TestConfigs.fast()).build()).startAsync());
    }

    private Mailman mailman() {
        return mailman(b -> b);
    }

    private RawClient connect(Mailman m) throws IOException {
        return closer.track(new RawClient(m.port()));
    }

    private RawClient recorder(Mailman m, String stream) throws IOException {
        return closer.track(Wire.recorder(m.port(), stream));
    }

    private RawClient processor(Mailman m, String name, StartPosition start, String... streams) throws IOException {
        return closer.track(Wire.processor(m.port(), name, start, streams));
    }

    private RawClient processor(Mailman m, String name, StartPosition start, int window, Map<String, Long> positions,
                                String... streams) throws IOException {
        return closer.track(Wire.processor(m.port(), name, start, window, positions, streams));
    }

    private static long randomId() {
        return ThreadLocalRandom.current().nextLong();
    }

    /** Says BYE, expects the answering BYE and the close, and waits until the mailman has let the name go. */
    private static void sayBye(Mailman m, RawClient c, String name) throws IOException {
        c.send(new Bye(m.config().disconnectMsg()));
        Message answer;
        do {
            answer = next(c); // AUDIO or GAP already in flight may come first (§5.10)
        } while (answer instanceof AudioFrame || answer instanceof GapFrame);
        assertThat(answer).isEqualTo(new Bye(m.config().disconnectMsg()));
        assertThat(c.closedByPeer()).isTrue();
        await(name + " released", () -> !m.recorders().contains(name) && !m.processors().contains(name));
    }

    /** AUDIO items of {@code stream}, {@code from..to}, with the REDELIVERY flag. */
    private static List<Item> redelivered(String stream, long from, long to) {
        return audioItems(stream, from, to).stream()
                .map(i -> new Item(i.stream(), i.seq(), i.to(), false, AudioFrame.FLAG_REDELIVERY, null)).toList();
    }

    // ---------------------------------------------------------------- §2 framing

    @Test
    @Order(1)
    @DisplayName("C1 §2: a first byte other than 0x41 gets ERROR MALFORMED_FRAME and a close, without waiting for more bytes")
    void c1_aBadFirstByteIsRefusedAtOnce() throws Exception {
        Mailman m = mailman();
        for (byte first : new byte[] {0x00, 0x42, 'G', (byte) 0xFF}) {
            RawClient c = connect(m);
            c.send(new byte[] {first}); // one byte only: the ERROR must not wait for a header
            assertThatCode(() -> expectError(c, ErrorCode.MALFORMED_FRAME)).as("first byte 0x%02X", first)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    @Order(2)
    @DisplayName("C2 §2: a header whose version is not 1, 2 or 3 gets ERROR UNSUPPORTED_VERSION")
    void c2_aVersionOtherThanOneToThreeIsRefused() throws Exception {
        Mailman m = mailman();
        for (int version : new int[] {0, 4, 255}) {
            RawClient c = connect(m);
            c.send(header(version, 8, 8)); // a PING header; the version is judged on the header alone
            assertThatCode(() -> expectError(c, ErrorCode.UNSUPPORTED_VERSION)).as("version %d", version)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    @Order(3)
    @DisplayName("C3 §2: a length above MAX_FRAME_BYTES gets ERROR FRAME_TOO_LARGE on the header alone, also for an unknown "
            + "type; a payload of exactly MAX_FRAME_BYTES is accepted")
    void c3_aLengthAboveMaxFrameBytesIsRefusedOnTheHeaderAlone() throws Exception {
        Mailman m = mailman(b -> b.maxFrameBytes(1024));
        RawClient audio = connect(m);
        audio.send(header(1, 4, 1025)); // no payload follows: the header is enough
        expectError(audio, ErrorCode.FRAME_TOO_LARGE);
        RawClient unknownType = connect(m);
        unknownType.send(header(1, 200, 1025)); // the length check comes before the type check
        expectError(unknownType, ErrorCode.FRAME_TOO_LARGE);
        RawClient hugeLength = connect(m);
        hugeLength.send(header(1, 4, 0xFFFF_FFFFL)); // u32: the largest length there is
        expectError(hugeLength, ErrorCode.FRAME_TOO_LARGE);

        RawClient p = processor(m, "p", StartPosition.RESUME, "mic1");
        RawClient rec = recorder(m, "mic1");
        byte[] exactlyMax = audio("mic1", 0, 495); // 30 + 4 ("mic1") + 495 frames x 2 bytes = 1024
        assertThat(exactlyMax.length - 8).as("the payload this test sends").isEqualTo(1024);
        rec.send(exactlyMax);
        awaitAck(rec, 0);
        assertThat(items(p, 1)).containsExactly(Item.audio("mic1", 0));
    }

    @Test
    @Order(4)
    @DisplayName("C4 §2: an unknown frame type, or a payload with bytes left over, gets ERROR MALFORMED_FRAME")
    void c4_anUnknownTypeOrTrailingBytesAreMalformed() throws Exception {
        Mailman m = mailman();
        for (int type : new int[] {0, 12, 255}) {
            RawClient c = connect(m);
            c.send(header(1, type, 0));
            assertThatCode(() -> expectError(c, ErrorCode.MALFORMED_FRAME)).as("frame type %d", type).doesNotThrowAnyException();
        }
        RawClient ping = connect(m);
        ping.send(Wire.withTrailingByte(RawClient.encode(new Ping(7)))); // a 9-byte PING payload
        expectError(ping, ErrorCode.MALFORMED_FRAME);
        RawClient helloClient = connect(m);
        helloClient.send(Wire.withTrailingByte(RawClient.encode(hello(Role.PROCESSOR, "p", randomId()))));
        expectError(helloClient, ErrorCode.MALFORMED_FRAME);
        RawClient rec = recorder(m, "mic");
        rec.send(Wire.withTrailingByte(audio("mic", 0)));
        expectError(rec, ErrorCode.MALFORMED_FRAME);
    }

    // ---------------------------------------------------------------- §4.1, §5.1, §4.2 the handshake

    @Test
    @Order(5)
    @DisplayName("C5 §4.1: a HELLO role other than 1 or 2 gets ERROR UNKNOWN_ROLE; a name outside [A-Za-z0-9._-]{1,64} gets "
            + "ERROR INVALID_NAME; a processor window of 0 gets ERROR INVALID_VALUE")
    void c5_helloIsValidated() throws Exception {
        Mailman m = mailman();
        for (int role : new int[] {0, 3, 255}) {
            RawClient c = connect(m);
            c.send(new Hello(role, "node", randomId(), "", 64, StartPosition.RESUME, List.of(), Map.of()));
            assertThatCode(() -> expectError(c, ErrorCode.UNKNOWN_ROLE)).as("role %d", role).doesNotThrowAnyException();
        }
        String longest = "a".repeat(64);
        for (String bad : new String[] {"", "a".repeat(65), "no space", "a/b", "m\u00efc", "tab\t"}) {
            for (Role role : Wire.V1_ROLES) {
                RawClient c = connect(m);
                c.send(hello(role, bad, randomId()));
                assertThatCode(() -> expectError(c, ErrorCode.INVALID_NAME)).as("%s name '%s'", role, bad)
                        .doesNotThrowAnyException();
            }
        }
        RawClient badSubscription = connect(m);
        badSubscription.send(new Hello(Role.PROCESSOR.code(), "p", randomId(), "", 64, StartPosition.RESUME, List.of("no space"),
                Map.of()));
        expectError(badSubscription, ErrorCode.INVALID_NAME);
        RawClient badPosition = connect(m);
        badPosition.send(new Hello(Role.PROCESSOR.code(), "p", randomId(), "", 64, StartPosition.RESUME, List.of("a.b"),
                Map.of("a b", 0L)));
        expectError(badPosition, ErrorCode.INVALID_NAME);
        RawClient windowZero = connect(m);
        windowZero.send(new Hello(Role.PROCESSOR.code(), "p", randomId(), "", 0, StartPosition.RESUME, List.of(), Map.of()));
        expectError(windowZero, ErrorCode.INVALID_VALUE);

        // The edges of the rule are accepted: 64 characters, every allowed character class.
        recorder(m, longest);
        processor(m, longest, StartPosition.LIVE);
        recorder(m, "Az09._-");
        processor(m, "a", StartPosition.LIVE);
    }

    @Test
    @Order(6)
    @DisplayName("C6 §5.1: PING before HELLO is answered with PONG carrying the same nonce; any frame but HELLO, PING, PONG, "
            + "BYE or ERROR before HELLO gets ERROR HANDSHAKE_REQUIRED")
    void c6_beforeHelloOnlyHeartbeatsByeAndErrorAreHandled() throws Exception {
        Mailman m = mailman();
        RawClient c = connect(m);
        c.send(new Ping(0x0102030405060708L));
        assertThat(c.read()).isEqualTo(new Pong(0x0102030405060708L));
        c.send(new Pong(99)); // handled: nothing answers it, nothing refuses it
        expectNothingMore(c);
        c.send(hello(Role.PROCESSOR, "p", randomId()));
        assertThat(next(c)).as("the handshake still works after them").isInstanceOf(Welcome.class);

        List<Message> refused = List.of(new Welcome("x", 1, 1024, 0, -1), new Ack("mic", 0), new GapFrame(new Gap("mic", 0, 1,
                GapReason.SOURCE_SKIPPED, "x")), new ReplayRequest("mic", 0, 1), new ReplayAnswer("mic", 0, 0));
        for (Message frame : refused) {
            RawClient r = connect(m);
            r.send(frame);
            assertThatCode(() -> expectError(r, ErrorCode.HANDSHAKE_REQUIRED)).as("%s before HELLO", frame.type())
                    .doesNotThrowAnyException();
        }
        RawClient audio = connect(m);
        audio.send(audio("mic", 0));
        expectError(audio, ErrorCode.HANDSHAKE_REQUIRED);

        RawClient bye = connect(m);
        bye.send(new Bye(m.config().disconnectMsg()));
        assertThat(next(bye)).as("a BYE before HELLO is answered, not refused").isEqualTo(new Bye(m.config().disconnectMsg()));
        assertThat(bye.closedByPeer()).isTrue();
        RawClient error = connect(m);
        error.send(new ErrorMessage(ErrorCode.INTERNAL, "a client gives up"));
        assertThatThrownBy(error::read).as("an ERROR before HELLO is not answered: the mailman only closes")
                .isInstanceOf(IOException.class).hasMessageContaining("connection closed");
    }

    @Test
    @Order(7)
    @DisplayName("C7 §4.2: WELCOME to a recorder of a new stream has lastSeq -1; after chunks 0..4, a new connection of that "
            + "stream gets lastSeq 4. WELCOME to a processor has lastSeq -1. Both carry the configured maxFrameBytes and "
            + "heartbeatMillis")
    void c7_welcomeCarriesLastSeqAndTheMailmansSettings() throws Exception {
        Mailman m = mailman(b -> b.maxFrameBytes(100_000).heartbeat(Duration.ofMillis(1500))
                .heartbeatTimeout(Duration.ofSeconds(10)));
        RawClient first = connect(m);
        first.send(hello(Role.RECORDER, "mic", randomId()));
        assertThat(next(first)).isInstanceOfSatisfying(Welcome.class, w -> {
            assertThat(w.lastSeq()).isEqualTo(-1);
            assertThat(w.maxFrameBytes()).isEqualTo(100_000);
            assertThat(w.heartbeatMillis()).isEqualTo(1500);
        });
        produce(first, "mic", 0, 4);
        sayBye(m, first, "mic");

        RawClient again = connect(m);
        again.send(hello(Role.RECORDER, "mic", randomId()));
        assertThat(next(again)).isInstanceOfSatisfying(Welcome.class, w -> assertThat(w.lastSeq()).isEqualTo(4));

        RawClient p = connect(m);
        p.send(hello(Role.PROCESSOR, "p", randomId()));
        assertThat(next(p)).isInstanceOfSatisfying(Welcome.class, w -> {
            assertThat(w.lastSeq()).isEqualTo(-1);
            assertThat(w.maxFrameBytes()).isEqualTo(100_000);
            assertThat(w.heartbeatMillis()).isEqualTo(1500);
        });
    }

    @Test
    @Order(8)
    @DisplayName("C8 §5.14: each frame the table of §5.14 marks UNEXPECTED_FRAME gets ERROR UNEXPECTED_FRAME and a close; "
            + "a second HELLO too")
    void c8_framesARoleMayNotSendAreUnexpected() throws Exception {
        Mailman m = mailman();
        /** A frame {@code role} may not send once registered, made for the client's own name. */
        record Case(Role role, String what, Function<String, Object> frame) {
        }
        List<Case> cases = List.of(
                new Case(Role.RECORDER, "a second HELLO", name -> hello(Role.RECORDER, name, randomId())),
                new Case(Role.RECORDER, "WELCOME", name -> new Welcome("x", 1, 1024, 0, -1)),
                new Case(Role.RECORDER, "AUDIO of another stream", name -> audio("other", 0)),
                new Case(Role.RECORDER, "ACK", name -> new Ack(name, 0)),
                new Case(Role.RECORDER, "GAP RETENTION_EXCEEDED of its stream",
                        name -> new GapFrame(new Gap(name, 0, 3, GapReason.RETENTION_EXCEEDED, "x"))),
                new Case(Role.RECORDER, "GAP NOT_AVAILABLE of its stream",
                        name -> new GapFrame(new Gap(name, 0, 3, GapReason.NOT_AVAILABLE, "x"))),
                new Case(Role.RECORDER, "GAP SOURCE_SKIPPED of another stream",
                        name -> new GapFrame(new Gap("other", 0, 3, GapReason.SOURCE_SKIPPED, "x"))),
                new Case(Role.RECORDER, "REPLAY", name -> new ReplayRequest(name, 0, 3)),
                new Case(Role.RECORDER, "REPLAY_ANSWER that answers no REPLAY", name -> new ReplayAnswer(name, 0, 0)),
                new Case(Role.PROCESSOR, "a second HELLO", name -> hello(Role.PROCESSOR, name, randomId())),
                new Case(Role.PROCESSOR, "WELCOME", name -> new Welcome("x", 1, 1024, 0, -1)),
                new Case(Role.PROCESSOR, "AUDIO", name -> audio("mic", 0)),
                new Case(Role.PROCESSOR, "GAP", name -> new GapFrame(new Gap("mic", 0, 3, GapReason.SOURCE_SKIPPED, "x"))),
                new Case(Role.PROCESSOR, "REPLAY", name -> new ReplayRequest("mic", 0, 3)),
                new Case(Role.PROCESSOR, "REPLAY_ANSWER", name -> new ReplayAnswer("mic", 0, 0)));
        int n = 0;
        for (Case k : cases) {
            String name = "n" + n++; // a fresh name each time: the previous holder may still be closing
            RawClient c = k.role() == Role.RECORDER ? recorder(m, name) : processor(m, name, StartPosition.RESUME);
            c.send(batch(k.frame().apply(name)));
            assertThatCode(() -> expectError(c, ErrorCode.UNEXPECTED_FRAME)).as("%s from a %s", k.what(), k.role())
                    .doesNotThrowAnyException();
        }

        // "After HELLO" includes the time before WELCOME: a frame behind a HELLO whose name is free is handled...
        RawClient pipelined = connect(m);
        pipelined.send(batch(hello(Role.RECORDER, "pipelined", randomId()), audio("pipelined", 0)));
        assertThat(next(pipelined)).isInstanceOf(Welcome.class);
        assertThat(next(pipelined)).isEqualTo(new Ack("pipelined", 0));
        // ...and refused while the name is being taken over from an older connection of the same instance.
        for (Role role : Wire.V1_ROLES) {
            String name = "taken-over-" + role.name().toLowerCase();
            RawClient old = connect(m);
            old.send(hello(role, name, 7));
            assertThat(next(old)).isInstanceOf(Welcome.class);
            RawClient takeover = connect(m);
            takeover.send(batch(hello(role, name, 7), role == Role.RECORDER ? audio(name, 0) : new Ack(name, 0)));
            assertThatCode(() -> expectError(takeover, ErrorCode.UNEXPECTED_FRAME)).as("a frame behind a %s's HELLO during a "
                    + "takeover", role).doesNotThrowAnyException();
        }
    }

    // ---------------------------------------------------------------- §5.2, §4.6, §4.4 recorder streaming

    @Test
    @Order(9)
    @DisplayName("C9 §5.2: a recorder gets one cumulative ACK per read batch that contained AUDIO, for the highest seq of the "
            + "batch, and none for a batch without AUDIO")
    void c9_oneCumulativeAckPerReadBatchWithAudio() throws Exception {
        Mailman m = mailman();
        RawClient rec = recorder(m, "mic");
        rec.send(batch(audio("mic", 0), audio("mic", 1), audio("mic", 2)));
        assertThat(next(rec)).as("one ACK, for the highest seq of the batch").isEqualTo(new Ack("mic", 2));
        expectNothingMore(rec); // no second ACK for that batch, and none for the batch that held only the PING
        rec.send(batch(new Ping(1), new Pong(2)));
        assertThat(rec.read()).as("the PING's answer, and no ACK").isEqualTo(new Pong(1));
        expectNothingMore(rec);
        rec.send(audio("mic", 3));
        assertThat(next(rec)).as("the next ACK is the next batch's").isEqualTo(new Ack("mic", 3));
    }

    @Test
    @Order(10)
    @DisplayName("C10 §5.2: a chunk with a seq lower than expected is a duplicate: acknowledged, never delivered twice")
    void c10_aLowerSeqIsADuplicate() throws Exception {
        Mailman m = mailman();
        RawClient p = processor(m, "p", StartPosition.RESUME, "mic");
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 4);
        rec.send(audio("mic", 2));
        assertThat(next(rec)).as("the duplicate is acknowledged: the highest seq received").isEqualTo(new Ack("mic", 4));
        produce(rec, "mic", 5, 5);

        assertThat(items(p, 6)).containsExactlyElementsOf(audioItems("mic", 0, 5));
        expectNothingMore(p);
    }

    @Test
    @Order(11)
    @DisplayName("C11 §5.2, 5.6: a jump from expected seq a to b > a reaches a processor as GAP SOURCE_SKIPPED a..b-1 "
            + "immediately followed by AUDIO b")
    void c11_aJumpIsASourceSkippedGapThenTheChunk() throws Exception {
        Mailman m = mailman();
        RawClient p = processor(m, "p", StartPosition.RESUME, "mic");
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 2);
        produce(rec, "mic", 7, 8);

        List<Item> expected = new ArrayList<>(audioItems("mic", 0, 2));
        expected.add(Item.gap("mic", 3, 6, "SOURCE_SKIPPED"));
        expected.addAll(audioItems("mic", 7, 8));
        assertThat(items(p, 6)).containsExactlyElementsOf(expected);
    }

    @Test
    @Order(12)
    @DisplayName("C12 §4.6: a recorder's GAP SOURCE_SKIPPED f..t before its first AUDIO makes f the stream's beginning: "
            + "a processor gets that GAP, then AUDIO t+1")
    void c12_aRecordersOpeningGapIsTheStreamsBeginning() throws Exception {
        Mailman m = mailman();
        RawClient before = processor(m, "before", StartPosition.RESUME, "mic");
        RawClient rec = recorder(m, "mic");
        rec.send(new GapFrame(new Gap("mic", 3, 9, GapReason.SOURCE_SKIPPED, "dropped before the mailman was reached")));
        expectNothingMore(rec); // the GAP is not acknowledged
        produce(rec, "mic", 10, 12);
        RawClient oldest = processor(m, "oldest", StartPosition.OLDEST, "mic");

        List<Item> expected = new ArrayList<>(List.of(Item.gap("mic", 3, 9, "SOURCE_SKIPPED")));
        expected.addAll(audioItems("mic", 10, 12));
        assertThat(items(before, 4)).as("a processor that was there first").containsExactlyElementsOf(expected);
        assertThat(items(oldest, 4)).as("a processor that starts at the oldest").containsExactlyElementsOf(expected);
    }

    @Test
    @Order(13)
    @DisplayName("C13 §4.4: a processor receives each AUDIO frame byte-identical to the recorder's, except the flags byte, "
            + "which the mailman clears")
    void c13_audioIsForwardedByteIdenticalWithTheFlagsCleared() throws Exception {
        Mailman m = mailman();
        RawClient p = processor(m, "p", StartPosition.RESUME, "mic");
        RawClient rec = recorder(m, "mic");
        byte[] forged = RawClient.encode(new AudioMessage(Wire.chunk("mic", 0), 0xFF));
        int flagsAt = 8 + 25 + "mic".length(); // header, then payload offset 25 + n (§4.4)
        assertThat(forged[flagsAt]).as("the flags byte this test sets").isEqualTo((byte) 0xFF);
        byte[] samples = new byte[2 * 3 * 4]; // 3 frames of FLOAT32LE stereo, arbitrary bytes
        ThreadLocalRandom.current().nextBytes(samples);
        byte[] plain = RawClient.encode(new AudioMessage(new AudioChunk("mic", 1, 123_456_789L, 48_000, 2,
                SampleFormat.FLOAT32LE, samples), 0));
        rec.send(forged);
        rec.send(plain);
        awaitAck(rec, 1);

        byte[] expected = forged.clone();
        expected[flagsAt] = 0;
        assertThat(nextAudioBytes(p)).as("seq 0: the recorder's bytes with flags 0").isEqualTo(expected);
        assertThat(nextAudioBytes(p)).as("seq 1: the recorder's bytes").isEqualTo(plain);
    }

    // ---------------------------------------------------------------- §5.4 processor windows

    @Test
    @Order(14)
    @DisplayName("C14 §5.4: a processor with window W has at most W seqs of a stream in flight; an ACK opens the window; an "
            + "ACK beyond what was sent is clamped, an old one changes nothing")
    void c14_theWindowAndTheAckArithmetic() throws Exception {
        Mailman m = mailman();
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 19);
        RawClient p = processor(m, "w", StartPosition.OLDEST, 4, Map.of(), "mic");

        assertThat(items(p, 4)).containsExactlyElementsOf(audioItems("mic", 0, 3));
        expectNothingMore(p);
        p.send(new Ack("mic", 1)); // acked 1, sent up to 3: room for 2
        assertThat(items(p, 2)).containsExactlyElementsOf(audioItems("mic", 4, 5));
        expectNothingMore(p);
        p.send(new Ack("mic", 100)); // beyond what was sent (5): clamped to 5, room for 4, not for everything
        assertThat(items(p, 4)).containsExactlyElementsOf(audioItems("mic", 6, 9));
        expectNothingMore(p);
        p.send(new Ack("mic", 3)); // old: acked stays 5
        expectNothingMore(p);

        // What acked is shows in where the name resumes: the parked acked + 1 (§5.5 rule 2).
        p.close();
        await("w unregistered", () -> !m.processors().contains("w"));
        RawClient back = processor(m, "w", StartPosition.RESUME, 4, Map.of(), "mic");
        assertThat(items(back, 1)).as("resumes at acked + 1 = 6: neither 4 (old ACK) nor 101 (unclamped)")
                .containsExactly(new Item("mic", 6, 6, false, AudioFrame.FLAG_REDELIVERY, null));
    }

    @Test
    @Order(15)
    @DisplayName("C15 §5.4: a processor that stops acknowledging gets neither AUDIO nor GAP beyond its window, however far it "
            + "falls behind; after its ACK, the first item is the GAP for what was evicted meanwhile")
    void c15_aProcessorThatStopsAcknowledgingGetsNothingUntilItsAckThenTheGap() throws Exception {
        Mailman m = mailman(b -> b.retention(Duration.ofMillis(100))); // 10 chunks of 10 ms
        RawClient p = processor(m, "slow", StartPosition.RESUME, 4, Map.of(), "mic");
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 3);
        assertThat(items(p, 4)).containsExactlyElementsOf(audioItems("mic", 0, 3));
        produce(rec, "mic", 4, 59); // 4..49 evicted while its window is full
        expectNothingMore(p);

        p.send(new Ack("mic", 3));
        assertThat(items(p, 2)).containsExactly(Item.gap("mic", 4, 49, "RETENTION_EXCEEDED"), Item.audio("mic", 50));
    }

    // ---------------------------------------------------------------- §5.5 start positions

    @Test
    @Order(16)
    @DisplayName("C16 §5.5: a HELLO position starts the stream exactly there (rule 1)")
    void c16_aHelloPositionStartsExactlyThere() throws Exception {
        Mailman m = mailman();
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 9);
        // LIVE would start at 10: the position beats the start mode. A position beyond the newest waits for it.
        RawClient at6 = processor(m, "at6", StartPosition.LIVE, 64, Map.of("mic", 6L), "mic");
        RawClient at12 = processor(m, "at12", StartPosition.OLDEST, 64, Map.of("mic", 12L), "mic");
        produce(rec, "mic", 10, 13);

        assertThat(items(at6, 8)).containsExactlyElementsOf(audioItems("mic", 6, 13));
        assertThat(items(at12, 2)).containsExactlyElementsOf(audioItems("mic", 12, 13));
    }

    @Test
    @Order(17)
    @DisplayName("C17 §5.5, 5.7: a processor that comes back under its name with RESUME continues at its parked acked + 1, "
            + "and the chunks it had been sent but had not acknowledged carry the REDELIVERY flag (rule 2)")
    void c17_resumeContinuesAtTheParkedPositionWithRedelivery() throws Exception {
        Mailman m = mailman();
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 9);
        RawClient p = processor(m, "r", StartPosition.OLDEST, "mic");
        assertThat(items(p, 10)).containsExactlyElementsOf(audioItems("mic", 0, 9));
        p.send(new Ack("mic", 3));
        sayBye(m, p, "r");

        RawClient back = processor(m, "r", StartPosition.RESUME, "mic");
        produce(rec, "mic", 10, 10);
        List<Item> expected = new ArrayList<>(redelivered("mic", 4, 9));
        expected.add(Item.audio("mic", 10));
        assertThat(items(back, 7)).containsExactlyElementsOf(expected);
    }

    @Test
    @Order(18)
    @DisplayName("C18 §5.5: a stream that appears after a processor registered is delivered from its first chunk (rule 3)")
    void c18_aStreamThatAppearsLaterIsDeliveredFromItsFirstChunk() throws Exception {
        Mailman m = mailman();
        RawClient all = processor(m, "all", StartPosition.LIVE); // every stream, LIVE: rule 3 still applies
        RawClient named = processor(m, "named", StartPosition.LIVE, "late");
        RawClient rec = recorder(m, "late");
        rec.send(batch(audio("late", 5), audio("late", 6), audio("late", 7))); // the stream's first chunks, in one batch
        awaitAck(rec, 7);

        assertThat(items(all, 3)).containsExactlyElementsOf(audioItems("late", 5, 7));
        assertThat(items(named, 3)).containsExactlyElementsOf(audioItems("late", 5, 7));
    }

    @Test
    @Order(19)
    @DisplayName("C19 §5.5: RESUME with no position starts at the join point: a processor that registers just after a "
            + "recorder's chunks came in gets them. LIVE gets only chunks that come after it registered")
    void c19_resumeStartsAtTheJoinPointLiveAtTheNextChunk() throws Exception {
        Mailman m = mailman(b -> b.reconnectInterval(Duration.ofSeconds(5))); // join point: the last 10 s
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 7); // a backlog, flushed just before the processors register
        RawClient resume = processor(m, "resume", StartPosition.RESUME, "mic");
        RawClient live = processor(m, "live", StartPosition.LIVE, "mic");
        produce(rec, "mic", 8, 9);
        assertThat(items(resume, 10)).containsExactlyElementsOf(audioItems("mic", 0, 9));
        assertThat(items(live, 2)).containsExactlyElementsOf(audioItems("mic", 8, 9));

        // Chunks older than 2 x RECONNECT_SECONDS are before the join point: then it is the next new chunk.
        VirtualTicker time = new VirtualTicker();
        Mailman quick = closer.track(new Mailman(TestConfigs.fast().reconnectInterval(Duration.ofMillis(100)).build(), time)
                .startAsync()); // join point: the last 200 ms
        RawClient rec2 = recorder(quick, "mic");
        produce(rec2, "mic", 0, 4);
        time.advance(Duration.ofSeconds(1)); // the time that passes is what is tested: five times the 200 ms
        RawClient late = processor(quick, "late", StartPosition.RESUME, "mic");
        produce(rec2, "mic", 5, 6);
        assertThat(items(late, 2)).containsExactlyElementsOf(audioItems("mic", 5, 6));
    }

    @Test
    @Order(20)
    @DisplayName("C20 §5.5: OLDEST starts at the oldest seq accounted for; SECONDS_BACK 200 ms with 20 ms chunks starts at "
            + "newest - 9")
    void c20_oldestAndSecondsBack() throws Exception {
        Mailman m = mailman(b -> b.retention(Duration.ofSeconds(1))); // 50 chunks of 20 ms
        RawClient a = recorder(m, "a");
        produce(a, "a", 0, 100, FRAMES_20MS); // retained: 51..100
        RawClient b = recorder(m, "b");
        produce(b, "b", 0, 9, FRAMES_20MS);
        produce(b, "b", 20, 69, FRAMES_20MS); // retained: 20..69, and the skip 10..19 just before 20

        RawClient oldestA = processor(m, "oldest-a", StartPosition.OLDEST, "a");
        RawClient oldestB = processor(m, "oldest-b", StartPosition.OLDEST, "b");
        RawClient back200 = processor(m, "back200", StartPosition.secondsBack(Duration.ofMillis(200)), "a");
        RawClient back210 = processor(m, "back210", StartPosition.secondsBack(Duration.ofMillis(210)), "a");

        assertThat(items(oldestA, 1)).as("the oldest retained chunk").containsExactly(Item.audio("a", 51));
        assertThat(items(oldestB, 2)).as("the skipped seqs just before the oldest retained chunk first")
                .containsExactly(Item.gap("b", 10, 19, "SOURCE_SKIPPED"), Item.audio("b", 20));
        assertThat(items(back200, 10)).as("200 ms back from newest 100: 91..100")
                .containsExactlyElementsOf(audioItems("a", 91, 100));
        assertThat(items(back210, 1)).as("210 ms back: 90").containsExactly(Item.audio("a", 90));
    }

    @Test
    @Order(21)
    @DisplayName("C21 §5.5, 5.6: a start the mailman held but evicted gets GAP RETENTION_EXCEEDED start..oldest-1, then the "
            + "oldest chunk; a start before anything it ever held, with no recorder connected, gets GAP NOT_AVAILABLE")
    void c21_aStartOlderThanWhatIsHeld() throws Exception {
        Mailman m = mailman(b -> b.retention(Duration.ofMillis(100))); // 10 chunks of 10 ms
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 0, 29); // retained: 20..29
        RawClient evicted = processor(m, "evicted", StartPosition.RESUME, 64, Map.of("mic", 5L), "mic");
        assertThat(items(evicted, 2)).containsExactly(Item.gap("mic", 5, 19, "RETENTION_EXCEEDED"), Item.audio("mic", 20));

        Mailman other = mailman();
        RawClient rec2 = recorder(other, "mic");
        produce(rec2, "mic", 10, 14); // the first seq this mailman ever held is 10
        sayBye(other, rec2, "mic");
        RawClient never = processor(other, "never", StartPosition.RESUME, 64, Map.of("mic", 3L), "mic");
        assertThat(items(never, 2)).containsExactly(Item.gap("mic", 3, 9, "NOT_AVAILABLE"), Item.audio("mic", 10));
    }

    // ---------------------------------------------------------------- §5.8 .. §5.12

    @Test
    @Order(22)
    @DisplayName("C22 §5.8: a HELLO for a name held by a live client with another instanceId gets ERROR NAME_IN_USE; with the "
            + "same instanceId, the old connection gets ERROR REPLACED and the new one a WELCOME")
    void c22_nameInUseAndReplacement() throws Exception {
        Mailman m = mailman();
        for (Role role : Wire.V1_ROLES) {
            RawClient holder = connect(m);
            holder.send(hello(role, "n", 1));
            assertThat(next(holder)).isInstanceOf(Welcome.class);

            RawClient other = connect(m);
            other.send(hello(role, "n", 2));
            assertThatCode(() -> expectError(other, ErrorCode.NAME_IN_USE)).as("%s of another instance", role)
                    .doesNotThrowAnyException();
            expectNothingMore(holder); // the holder is not affected

            RawClient same = connect(m);
            same.send(hello(role, "n", 1));
            assertThatCode(() -> expectError(holder, ErrorCode.REPLACED)).as("the %s replaced", role).doesNotThrowAnyException();
            assertThat(next(same)).as("the %s of the same instance", role).isInstanceOf(Welcome.class);
        }
    }

    @Test
    @Order(23)
    @DisplayName("C23 §5.9: a connection that writes nothing for HEARTBEAT_SECONDS is sent a PING; a PING is answered with "
            + "PONG(same nonce) at any time")
    void c23_heartbeats() throws Exception {
        Mailman m = mailman(b -> b.heartbeat(Duration.ofMillis(300)).heartbeatTimeout(Duration.ofSeconds(10)));
        RawClient rec = recorder(m, "mic");
        RawClient p = processor(m, "p", StartPosition.RESUME, "nothing-yet");
        for (RawClient idle : List.of(rec, p)) {
            assertThat(idle.read()).as("the first frame after WELCOME on an idle connection").isInstanceOf(Ping.class);
            expectNothingMore(idle); // our own PING, answered with its nonce
        }
        // In the middle of a batch of AUDIO, too.
        rec.send(batch(audio("mic", 0), new Ping(0x55AA), audio("mic", 1)));
        List<Message> answers = new ArrayList<>();
        while (answers.size() < 2) {
            Message frame = rec.read();
            if (!(frame instanceof Ping ping)) {
                answers.add(frame);
            } else {
                rec.send(new Pong(ping.nonce())); // the mailman's own heartbeat
            }
        }
        assertThat(answers).containsExactlyInAnyOrder(new Pong(0x55AA), new Ack("mic", 1));
    }

    @Test
    @Order(24)
    @DisplayName("C24 §5.10: BYE with DISCONNECT_MSG is answered with BYE and a close, after the ACK for AUDIO read in the same "
            + "batch; frames after the BYE are ignored; BYE with another text gets ERROR BAD_DISCONNECT_MSG")
    void c24_bye() throws Exception {
        Mailman m = mailman();
        String disconnect = m.config().disconnectMsg();
        RawClient p = processor(m, "p", StartPosition.RESUME, "mic");
        RawClient rec = recorder(m, "mic");
        rec.send(batch(audio("mic", 0), audio("mic", 1), audio("mic", 2), new Bye(disconnect), audio("mic", 3)));
        assertThat(next(rec)).as("the ACK it owes first").isEqualTo(new Ack("mic", 2));
        assertThat(next(rec)).isEqualTo(new Bye(disconnect));
        assertThat(rec.closedByPeer()).isTrue();
        assertThat(items(p, 3)).containsExactlyElementsOf(audioItems("mic", 0, 2));
        expectNothingMore(p);

        await("mic released", () -> !m.recorders().contains("mic"));
        RawClient again = connect(m);
        again.send(hello(Role.RECORDER, "mic", randomId()));
        assertThat(next(again)).as("chunk 3, after the BYE, was never taken")
                .isInstanceOfSatisfying(Welcome.class, w -> assertThat(w.lastSeq()).isEqualTo(2));
        again.send(new Bye(disconnect.toLowerCase()));
        expectError(again, ErrorCode.BAD_DISCONNECT_MSG);
    }

    @Test
    @Order(25)
    @DisplayName("C25 §5.12, 4.11: a processor position before anything held, with the recorder connected, makes the mailman "
            + "send the recorder REPLAY from..to; the answer's frames reach the processor in order; an answer that was not "
            + "asked for, or does not fit, gets ERROR UNEXPECTED_FRAME")
    void c25_replay() throws Exception {
        Mailman m = mailman();
        RawClient rec = recorder(m, "mic");
        produce(rec, "mic", 10, 14); // as after a mailman restart: 0..9 only the recorder has
        RawClient p = processor(m, "p", StartPosition.RESUME, 64, Map.of("mic", 4L), "mic");
        assertThat(next(rec)).isEqualTo(new ReplayRequest("mic", 4, 9));
        List<Object> answer = new ArrayList<>(List.of(new ReplayAnswer("mic", 4, 6)));
        for (long seq = 4; seq <= 9; seq++) {
            answer.add(audio("mic", seq));
        }
        rec.send(batch(answer.toArray()));
        assertThat(items(p, 11)).containsExactlyElementsOf(audioItems("mic", 4, 14));
        rec.send(new ReplayAnswer("mic", 4, 0)); // nothing asked for it now
        expectError(rec, ErrorCode.UNEXPECTED_FRAME);

        // Answers that do not fit REPLAY m2 3..9: fromSeq must lie in 3..10, count at most 10 - fromSeq.
        List<ReplayAnswer> misfits = List.of(new ReplayAnswer("m2", 2, 1), new ReplayAnswer("m2", 11, 0),
                new ReplayAnswer("m2", 3, 8), new ReplayAnswer("m2", 10, 1));
        RawClient r2 = recorder(m, "m2");
        produce(r2, "m2", 10, 12);
        int n = 0;
        for (ReplayAnswer misfit : misfits) {
            if (n > 0) {
                await("m2 released", () -> !m.recorders().contains("m2"));
                r2 = recorder(m, "m2");
            }
            processor(m, "q" + n++, StartPosition.RESUME, 64, Map.of("m2", 3L), "m2");
            RawClient asked = r2;
            assertThat(next(asked)).isEqualTo(new ReplayRequest("m2", 3, 9));
            asked.send(misfit);
            assertThatCode(() -> expectError(asked, ErrorCode.UNEXPECTED_FRAME)).as("%s", misfit).doesNotThrowAnyException();
        }
        // The edge that fits: the request's toSeq + 1 with nothing held.
        await("m2 released", () -> !m.recorders().contains("m2"));
        RawClient r3 = recorder(m, "m2");
        RawClient edge = processor(m, "edge", StartPosition.RESUME, 64, Map.of("m2", 3L), "m2");
        assertThat(next(r3)).isEqualTo(new ReplayRequest("m2", 3, 9));
        r3.send(new ReplayAnswer("m2", 10, 0));
        assertThat(items(edge, 2)).containsExactly(Item.gap("m2", 3, 9, "NOT_AVAILABLE"), Item.audio("m2", 10));
        expectNothingMore(r3);
    }

    @Test
    @Order(26)
    @DisplayName("C26 §5.11: a mailman that stops sends ERROR SHUTTING_DOWN to every client")
    void c26_shuttingDown() throws Exception {
        Mailman m = mailman();
        RawClient rec = recorder(m, "mic");
        RawClient p = processor(m, "p", StartPosition.RESUME, "mic");
        RawClient beforeHello = connect(m);
        expectNothingMore(beforeHello); // connected and handled before the mailman stops
        m.close();
        for (RawClient c : List.of(rec, p, beforeHello)) {
            expectError(c, ErrorCode.SHUTTING_DOWN);
        }
    }

    @Test
    @Order(27)
    @DisplayName("C27 §5.2 (version 3): a recorder of version 3 may get its cumulative ACK up to ACK_DELAY_MILLIS late; at once "
            + "when half its window is unacknowledged, and before the answer to its BYE; a recorder of version 1 or 2 as C9")
    void c27_version3AcksMayBeHeldBack() throws Exception {
        VirtualTicker time = new VirtualTicker();
        Mailman m = closer.track(new Mailman(TestConfigs.fast().ackDelay(Duration.ofMillis(50)).build(), time).startAsync());
        RawClient rec = closer.track(Wire.recorder(m.port(), "mic", 3, 64));
        for (int seq = 0; seq < 3; seq++) {
            rec.send(audio("mic", seq));
            expectNothingMore(rec); // read and held (the PING after it was answered), its ACK held back: the clock stands still
        }
        time.advance(Duration.ofMillis(50));
        assertThat(next(rec)).as("one cumulative ACK once the delay has passed").isEqualTo(new Ack("mic", 2));
        expectNothingMore(rec);

        RawClient small = closer.track(Wire.recorder(m.port(), "room", 3, 4));
        small.send(audio("room", 0));
        expectNothingMore(small);
        small.send(audio("room", 1));
        assertThat(next(small)).as("2 of a window of 4 unacknowledged: at once, the clock still standing")
                .isEqualTo(new Ack("room", 1));
        small.send(audio("room", 2));
        expectNothingMore(small);
        small.send(new Bye(m.config().disconnectMsg()));
        assertThat(next(small)).as("the held-back ACK before the BYE's answer").isEqualTo(new Ack("room", 2));
        assertThat(next(small)).isEqualTo(new Bye(m.config().disconnectMsg()));

        for (int version = 1; version <= 2; version++) {
            String stream = "v" + version;
            RawClient old = closer.track(Wire.recorder(m.port(), stream, version, 64));
            old.send(audio(stream, 0));
            assertThat(next(old)).as("version %d: an ACK per read batch, whatever ACK_DELAY_MILLIS", version)
                    .isEqualTo(new Ack(stream, 0));
        }
    }
}
