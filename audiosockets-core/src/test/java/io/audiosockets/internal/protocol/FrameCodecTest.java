package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.ContentType;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.protocol.StartPosition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FrameCodec} on its own: every message type survives encode → decode, incomplete input
 * is waited for without consuming anything, the byte layout matches the documented one, and
 * every kind of malformed frame is refused with the right exception, code and field name.
 *
 * <p>Every buffer a test allocates is registered and must have been released by the end of the
 * test ({@link #everyBufferReleased()}), so a leak fails the test deterministically instead of
 * depending on the paranoid leak detector noticing it after a GC.
 */
class FrameCodecTest {
    private static final int MAX = 64 * 1024;
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void everyBufferReleased() {
        for (ByteBuf b : buffers) {
            assertThat(b.refCnt()).as("reference count of a test buffer at the end of the test (a leak if > 0)").isZero();
        }
    }

    private ByteBuf track(ByteBuf b) {
        buffers.add(b);
        return b;
    }

    private ByteBuf encoded(Message m) {
        ByteBuf b = track(Unpooled.buffer());
        FrameCodec.encode(m, b);
        return b;
    }

    private static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b, b.readerIndex(), b.readableBytes());
    }

    private static AudioChunk chunk(String stream, long seq, int rate, int channels, SampleFormat format, int frames) {
        byte[] data = new byte[frames * channels * format.bytesPerSample()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + seq);
        }
        return new AudioChunk(stream, seq, 1_700_000_000_123_456_789L + seq, rate, channels, format, data);
    }

    static List<Message> nonAudioMessages() {
        List<Message> list = new ArrayList<>();
        list.add(new Hello(Role.RECORDER.code(), "mic-1", 0x0123_4567_89AB_CDEFL, "", 64, StartPosition.RESUME, List.of(), Map.of()));
        list.add(new Hello(Role.PROCESSOR.code(), "vad.proc_2", -1L, "s3cr3t ✓", 65535, StartPosition.secondsBack(Duration.ofMillis(2500)),
                List.of("mic-1", "mic-2", "ünïcødé"), Map.of("mic-1", 0L, "mic-2", Long.MAX_VALUE, "x", 42L)));
        list.add(new Hello(200, "", 0, "", 0, StartPosition.OLDEST, List.of(""), Map.of()));
        list.add(new Hello(Role.PROCESSOR.code(), "p", 7, "", 1, StartPosition.LIVE, List.of(), Map.of("s", 9L)));
        list.add(new Welcome("audiosockets-mailman/0.1", 17, 4 * 1024 * 1024, 5000, -1));
        list.add(new Welcome("", Long.MIN_VALUE, 1, 0, Long.MAX_VALUE));
        for (ErrorCode c : ErrorCode.values()) {
            list.add(new ErrorMessage(c, "error " + c + ": what to do 🎵"));
        }
        list.add(new Ack("mic-1", 0));
        list.add(new Ack("mic-1", Long.MAX_VALUE));
        for (GapReason r : GapReason.values()) {
            list.add(new GapFrame(new Gap("mic-1", 10, 19, r, "lost because " + r)));
        }
        list.add(new GapFrame(new Gap("s", 0, 0, GapReason.SOURCE_SKIPPED, "")));
        list.add(new Bye("DISCONNECT"));
        list.add(new Bye(""));
        list.add(new Ping(0));
        list.add(new Ping(Long.MIN_VALUE));
        list.add(new Pong(Long.MAX_VALUE));
        list.add(new Pong(-7));
        list.add(new ReplayRequest("mic-1", 0, 0));
        list.add(new ReplayRequest("mic-1", 20, Long.MAX_VALUE));
        list.add(new ReplayAnswer("mic-1", 20, 0));
        list.add(new ReplayAnswer("mic-1", 7, 1_000_000));
        return list;
    }

    static List<AudioMessage> audioMessages() {
        return List.of(
                new AudioMessage(chunk("mic-1", 0, 16_000, 1, SampleFormat.PCM_S16LE, 320)),
                new AudioMessage(chunk("mic-2", 123_456, 48_000, 2, SampleFormat.FLOAT32LE, 480), AudioFrame.FLAG_REDELIVERY),
                new AudioMessage(chunk("ünï", Long.MAX_VALUE, 8_000, 6, SampleFormat.PCM_S16LE, 3), 0xFF),
                new AudioMessage(chunk("empty", 5, 44_100, 1, SampleFormat.FLOAT32LE, 0)));
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void everyNonAudioMessageRoundTrips() {
        for (Message m : nonAudioMessages()) {
            ByteBuf b = encoded(m);
            int length = b.readableBytes();
            assertThat(b.getUnsignedInt(4)).as("length field of %s", m).isEqualTo(length - FrameCodec.HEADER_BYTES);
            assertThat(b.getUnsignedByte(3)).as("type byte of %s", m).isEqualTo((short) m.type().code());
            Message back = FrameCodec.decode(b, MAX);
            assertThat(back).as("decoded %s", m).isEqualTo(m);
            assertThat(b.isReadable()).as("bytes left after decoding %s", m).isFalse();
            b.release();
        }
    }

    @Test
    void everyAudioMessageRoundTripsAsAnAudioFrame() {
        for (AudioMessage m : audioMessages()) {
            ByteBuf b = encoded(m);
            int length = b.readableBytes();
            assertThat(length).as("estimateSize is an upper bound for %s", m.chunk()).isLessThanOrEqualTo(FrameCodec.estimateSize(m));
            Message back = FrameCodec.decode(b, MAX);
            assertThat(back).isInstanceOf(AudioFrame.class);
            AudioFrame f = (AudioFrame) back;
            assertThat(b.isReadable()).isFalse();
            // The frame owns a reference of its own: it outlives the buffer it was decoded from.
            b.release();
            try {
                assertThat(f.refCnt()).as("the frame's own reference, once the input is released").isEqualTo(1);
                assertThat(f.toChunk()).as("chunk carried by %s", f).isEqualTo(m.chunk());
                assertThat(f.flags()).isEqualTo(m.flags());
                assertThat(f.redelivery()).isEqualTo((m.flags() & AudioFrame.FLAG_REDELIVERY) != 0);
                assertThat(f.stream()).isEqualTo(m.chunk().stream());
                assertThat(f.seq()).isEqualTo(m.chunk().seq());
                assertThat(f.captureTimeNanos()).isEqualTo(m.chunk().captureTimeNanos());
                assertThat(f.sampleRate()).isEqualTo(m.chunk().sampleRate());
                assertThat(f.channels()).isEqualTo(m.chunk().channels());
                assertThat(f.format()).isEqualTo(m.chunk().format());
                assertThat(f.frames()).isEqualTo(m.chunk().frames());
                assertThat(f.encodedBytes()).as("the frame keeps the whole encoded frame").isEqualTo(length);
            } finally {
                f.release();
            }
            assertThat(f.refCnt()).as("releasing the frame frees the bytes").isZero();
        }
    }

    @Test
    void aReceivedAudioFrameReEncodesToTheSameBytes() {
        ByteBuf original = encoded(audioMessages().get(1));
        byte[] expected = bytes(original);
        AudioFrame f = (AudioFrame) FrameCodec.decode(original, MAX);
        original.release();
        ByteBuf again = track(Unpooled.buffer());
        try {
            FrameCodec.encode(f, again);
            assertThat(bytes(again)).as("an AudioFrame is forwarded byte for byte").isEqualTo(expected);
            assertThat(f.refCnt()).as("encode does not consume the frame's reference").isEqualTo(1);
        } finally {
            f.release();
            again.release();
        }
    }

    @Test
    void copyWithFlagsChangesOnlyTheFlagsByte() {
        ByteBuf original = encoded(audioMessages().get(0));
        byte[] expected = bytes(original);
        AudioFrame f = (AudioFrame) FrameCodec.decode(original, MAX);
        AudioFrame copy = f.copyWithFlags(AudioFrame.FLAG_REDELIVERY, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(copy.redelivery()).isTrue();
            assertThat(f.redelivery()).as("the original is untouched").isFalse();
            assertThat(copy.toChunk()).isEqualTo(f.toChunk());
            byte[] copied = bytes(copy.content());
            assertThat(copied).hasSameSizeAs(expected);
            int differing = 0;
            for (int i = 0; i < expected.length; i++) {
                if (copied[i] != expected[i]) {
                    differing++;
                }
            }
            assertThat(differing).as("bytes that differ between the frame and its copy with the redelivery flag").isEqualTo(1);
            ByteBuf reencoded = track(Unpooled.buffer());
            FrameCodec.encode(copy, reencoded);
            AudioFrame decoded = (AudioFrame) FrameCodec.decode(reencoded, MAX);
            assertThat(decoded.redelivery()).as("the flag survives a round trip").isTrue();
            decoded.release();
            reencoded.release();
        } finally {
            copy.release();
            f.release();
            original.release();
        }
        assertThat(copy.refCnt()).isZero();
    }

    @Test
    void twoFramesInOneBufferDecodeOneAtATime() {
        ByteBuf b = track(Unpooled.buffer());
        FrameCodec.encode(new Ping(1), b);
        FrameCodec.encode(new Bye("DISCONNECT"), b);
        FrameCodec.encode(new Pong(1), b);
        assertThat(FrameCodec.decode(b, MAX)).isEqualTo(new Ping(1));
        assertThat(FrameCodec.decode(b, MAX)).isEqualTo(new Bye("DISCONNECT"));
        assertThat(FrameCodec.decode(b, MAX)).isEqualTo(new Pong(1));
        assertThat(FrameCodec.decode(b, MAX)).as("an empty buffer holds no frame").isNull();
        b.release();
    }

    // ------------------------------------------------------------------ incomplete input

    @Test
    void everyStrictPrefixOfEveryFrameDecodesToNullAndConsumesNothing() {
        List<Message> all = new ArrayList<>(nonAudioMessages());
        all.addAll(audioMessages());
        for (Message m : all) {
            ByteBuf whole = encoded(m);
            byte[] frame = bytes(whole);
            whole.release();
            for (int k = 0; k < frame.length; k++) {
                ByteBuf prefix = track(Unpooled.buffer(frame.length).writeBytes(frame, 0, k));
                prefix.readerIndex(0);
                Message got = FrameCodec.decode(prefix, MAX);
                assertThat(got).as("decode of the first %d of %d bytes of %s", k, frame.length, m).isNull();
                assertThat(prefix.readerIndex()).as("bytes consumed from a %d-byte prefix of %s", k, m).isZero();
                assertThat(prefix.refCnt()).as("a prefix buffer is not retained").isEqualTo(1);
                // Completing the prefix must then give the message.
                prefix.writeBytes(frame, k, frame.length - k);
                Message complete = FrameCodec.decode(prefix, MAX);
                assertThat(complete).as("decode of %s after completing a %d-byte prefix", m, k).isNotNull();
                if (complete instanceof AudioFrame f) {
                    f.release();
                }
                prefix.release();
            }
        }
    }

    // ------------------------------------------------------------------ exact layout

    @Test
    void helloHasTheDocumentedByteLayout() {
        Hello hello = new Hello(Role.PROCESSOR.code(), "p1", 0x0102030405060708L, "", 64, StartPosition.LIVE,
                List.of("mic"), Map.of("mic", 7L));
        String expected = String.join("",
                "4153", "01", "01", "00000030",         // magic "AS", version 1, type HELLO, payload length 48
                "02",                                   // role: processor
                "0002", "7031",                         // name "p1"
                "0102030405060708",                     // instanceId
                "0000",                                 // token ""
                "0040",                                 // window 64
                "01",                                   // start mode LIVE
                "0000000000000000",                     // start back millis 0
                "0001", "0003", "6d6963",               // 1 subscription: "mic"
                "0001", "0003", "6d6963", "0000000000000007"); // 1 position: "mic" -> 7
        ByteBuf b = encoded(hello);
        assertThat(HexFormat.of().formatHex(bytes(b))).isEqualTo(expected);
        b.release();
        ByteBuf handWritten = track(Unpooled.wrappedBuffer(HexFormat.of().parseHex(expected)));
        assertThat(FrameCodec.decode(handWritten, MAX)).as("the hand-written bytes decode").isEqualTo(hello);
        handWritten.release();
    }

    @Test
    void audioHasTheDocumentedByteLayout() {
        AudioChunk c = new AudioChunk("s", 5, 0x10, 16_000, 1, SampleFormat.PCM_S16LE, new byte[] {0x01, 0x00, (byte) 0xFF, 0x7F});
        String expected = String.join("",
                "4153", "01", "04", "00000023",         // magic, version 1, type AUDIO, payload length 35
                "0001", "73",                           // stream "s"
                "0000000000000005",                     // seq 5
                "0000000000000010",                     // captureTimeNanos 16
                "00003e80",                             // sampleRate 16000
                "0001",                                 // channels 1
                "01",                                   // format PCM_S16LE
                "01",                                   // flags: redelivery
                "00000002",                             // frames 2
                "0100ff7f");                            // samples 1, 32767, little-endian
        ByteBuf b = encoded(new AudioMessage(c, AudioFrame.FLAG_REDELIVERY));
        assertThat(HexFormat.of().formatHex(bytes(b))).isEqualTo(expected);
        b.release();
        ByteBuf handWritten = track(Unpooled.wrappedBuffer(HexFormat.of().parseHex(expected)));
        AudioFrame f = (AudioFrame) FrameCodec.decode(handWritten, MAX);
        assertThat(f.toChunk()).isEqualTo(c);
        assertThat(f.redelivery()).isTrue();
        f.release();
        handWritten.release();
    }

    @Test
    void pingAndErrorHaveTheDocumentedByteLayout() {
        ByteBuf ping = encoded(new Ping(0x1122334455667788L));
        assertThat(HexFormat.of().formatHex(bytes(ping))).isEqualTo("4153010800000008" + "1122334455667788");
        ping.release();
        ByteBuf error = encoded(new ErrorMessage(ErrorCode.NAME_IN_USE, "é"));
        assertThat(HexFormat.of().formatHex(bytes(error))).as("code u16, then the message as u16 length + UTF-8")
                .isEqualTo("4153010300000006" + "0006" + "0002" + "c3a9");
        error.release();
    }

    @Test
    void replayFramesHaveTheDocumentedByteLayout() {
        ByteBuf request = encoded(new ReplayRequest("m", 5, 9));
        assertThat(HexFormat.of().formatHex(bytes(request))).as("stream, fromSeq u64, toSeq u64")
                .isEqualTo("4153010a00000013" + "00016d" + "0000000000000005" + "0000000000000009");
        request.release();
        ByteBuf answer = encoded(new ReplayAnswer("m", 6, 4));
        assertThat(HexFormat.of().formatHex(bytes(answer))).as("stream, fromSeq u64, count u64")
                .isEqualTo("4153010b00000013" + "00016d" + "0000000000000006" + "0000000000000004");
        answer.release();
    }

    @Test
    void recordAndAVersion2HelloHaveTheDocumentedByteLayout() {
        // PROTOCOL.md §9.2's example, byte for byte, and back.
        ResultRecord r = ResultRecord.json("m.v", 1, 0x17979CFE362A0000L, 32_000_000L, "{\"s\":1}");
        ByteBuf record = encoded(new RecordMessage(r));
        String hex = "4153020c00000026" + "00036d2e76" + "0000000000000001" + "17979cfe362a0000" + "0000000001e84800" + "01" + "00"
                + "7b2273223a317d";
        assertThat(HexFormat.of().formatHex(bytes(record))).isEqualTo(hex);
        RecordFrame f = (RecordFrame) FrameCodec.decode(record, MAX);
        assertThat(f.toRecord()).isEqualTo(r);
        assertThat(f.contentType()).isEqualTo(ContentType.JSON);
        assertThat(f.redelivery()).isFalse();
        f.release();
        record.release();
        ByteBuf hello = encoded(new Hello(Role.PUBLISHER.code(), "m.v", 0x0123456789ABCDEFL, "", 64, StartPosition.RESUME, List.of(),
                Map.of(), 2));
        assertThat(HexFormat.of().formatHex(bytes(hello))).as("the first HELLO example with version 2, role 3, name m.v")
                .isEqualTo("415302010000001f" + "03" + "00036d2e76" + "0123456789abcdef" + "0000" + "0040" + "00" + "0000000000000000"
                        + "0000" + "0000");
        hello.release();
    }

    @Test
    void aRecordThatIsNotWhatItsHeaderSaysIsRefused() {
        byte[] v1 = HexFormat.of().parseHex("4153010c00000026" + "00036d2e76" + "0000000000000001" + "17979cfe362a0000"
                + "0000000001e84800" + "01" + "00" + "7b2273223a317d");
        expectFailure(Unpooled.wrappedBuffer(v1), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "RECORD", "version 2");
        byte[] badType = HexFormat.of().parseHex("4153020c0000001f" + "00036d2e76" + "0000000000000001" + "17979cfe362a0000"
                + "0000000001e84800" + "09" + "00");
        expectFailure(Unpooled.wrappedBuffer(badType), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "contentType 9");
        byte[] ragged = HexFormat.of().parseHex("4153020c00000021" + "00036d2e76" + "0000000000000001" + "17979cfe362a0000"
                + "0000000001e84800" + "02" + "00" + "000000");
        expectFailure(Unpooled.wrappedBuffer(ragged), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "whole number of floats");
        byte[] negative = HexFormat.of().parseHex("4153020c0000001f" + "00036d2e76" + "0000000000000001" + "17979cfe362a0000"
                + "ffffffffffffffff" + "01" + "00");
        expectFailure(Unpooled.wrappedBuffer(negative), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "durationNanos");
    }

    @Test
    void replayRequestWithAnInvertedRangeIsRefused() {
        ByteBuf b = frame(FrameType.REPLAY, p -> {
            writeString(p, "m");
            p.writeLong(9).writeLong(5);
        });
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "REPLAY toSeq 5 < fromSeq 9");
    }

    @Test
    void unknownCodesOnTheWireMapToTheirFallbacks() {
        ByteBuf error = track(frame(FrameType.ERROR, p -> p.writeShort(999).writeShort(0)));
        assertThat(FrameCodec.decode(error, MAX)).isEqualTo(new ErrorMessage(ErrorCode.INTERNAL, ""));
        error.release();
        ByteBuf gap = track(frame(FrameType.GAP, p -> {
            writeString(p, "s");
            p.writeLong(1).writeLong(2).writeByte(77);
            writeString(p, "");
        }));
        assertThat(FrameCodec.decode(gap, MAX)).isEqualTo(new GapFrame(new Gap("s", 1, 2, GapReason.UNKNOWN, "")));
        gap.release();
    }

    @Test
    void aStringLongerThan65535BytesIsRefusedWhenEncoding() {
        ByteBuf b = track(Unpooled.buffer());
        try {
            assertThatThrownBy(() -> FrameCodec.encode(new Bye("x".repeat(FrameCodec.MAX_STRING_BYTES + 1)), b))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("65536").hasMessageContaining("65535");
        } finally {
            b.release();
        }
        ByteBuf ok = encoded(new Bye("x".repeat(FrameCodec.MAX_STRING_BYTES)));
        assertThat(FrameCodec.decode(ok, 1 << 20)).isEqualTo(new Bye("x".repeat(FrameCodec.MAX_STRING_BYTES)));
        ok.release();
    }

    // ------------------------------------------------------------------ malformed frames

    private static void writeString(ByteBuf p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.writeShort(b.length).writeBytes(b);
    }

    /** A frame with a correct header around whatever {@code payload} writes. */
    private static ByteBuf frame(FrameType type, Consumer<ByteBuf> payload) {
        ByteBuf p = Unpooled.buffer();
        payload.accept(p);
        ByteBuf f = Unpooled.buffer();
        f.writeShort(FrameCodec.MAGIC).writeByte(FrameCodec.VERSION).writeByte(type.code()).writeInt(p.readableBytes()).writeBytes(p);
        p.release();
        return f;
    }

    /** Writes an AUDIO payload field by field. */
    private static Consumer<ByteBuf> audioPayload(int channels, int formatCode, long frames, int sampleBytes) {
        return p -> {
            writeString(p, "mic");
            p.writeLong(3).writeLong(0).writeInt(16_000).writeShort(channels).writeByte(formatCode).writeByte(0).writeInt((int) frames);
            p.writeZero(sampleBytes);
        };
    }

    /** Decodes {@code in}, expecting a failure; checks the exception type, code and message; releases {@code in}. */
    private <T extends ProtocolException> T expectFailure(ByteBuf in, Class<T> type, ErrorCode code, String... messageParts) {
        track(in);
        int refCntBefore = in.refCnt();
        try {
            T e = catchThrowableOfType(type, () -> FrameCodec.decode(in, MAX));
            assertThat(e).as("decode must throw %s", type.getSimpleName()).isNotNull();
            assertThat(e.code()).as("error code of: %s", e.getMessage()).isEqualTo(code);
            for (String part : messageParts) {
                assertThat(e.getMessage()).as("message names the fault").contains(part);
            }
            assertThat(in.refCnt()).as("a failed decode leaves no extra reference on the input").isEqualTo(refCntBefore);
            return e;
        } finally {
            in.release();
        }
    }

    @Test
    void badMagicIsRefused() {
        ByteBuf b = Unpooled.wrappedBuffer(HexFormat.of().parseHex("4745542f20485454"));  // "GET / HTT"
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "magic", "0x4745");
    }

    @Test
    void badMagicIsRefusedFromTheFirstByteOrTwo() {
        expectFailure(Unpooled.wrappedBuffer(new byte[] {'G'}), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "magic");
        expectFailure(Unpooled.wrappedBuffer(new byte[] {'A', 'X'}), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME,
                "magic", "0x4158");
        ByteBuf good = track(Unpooled.wrappedBuffer(new byte[] {'A', 'S', 1}));
        assertThat(FrameCodec.decode(good, MAX)).as("a correct 3-byte prefix is only incomplete").isNull();
        good.release();
    }

    @Test
    void badVersionIsRefused() {
        ByteBuf b = Unpooled.wrappedBuffer(HexFormat.of().parseHex("4153040800000008" + "0000000000000001"));
        expectFailure(b, ProtocolException.class, ErrorCode.UNSUPPORTED_VERSION, "version 4");
    }

    @ParameterizedTest(name = "type byte {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 13, 15, 16, 255})
    void unknownTypeIsRefused(int type) {
        ByteBuf b = Unpooled.buffer().writeShort(FrameCodec.MAGIC).writeByte(1).writeByte(type).writeInt(0);
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "type " + type);
    }

    @Test
    void anOversizedLengthIsRefusedFromTheHeaderAlone() {
        // Only the 8 header bytes are there: the decoder must not wait for (or allocate) 4 GiB.
        ByteBuf b = Unpooled.buffer(8, 8).writeShort(FrameCodec.MAGIC).writeByte(1).writeByte(FrameType.AUDIO.code())
                .writeInt(0xFFFF_FFFF);
        FrameTooLongException e = expectFailure(b, FrameTooLongException.class, ErrorCode.FRAME_TOO_LARGE,
                "4294967295", String.valueOf(MAX), "MAX_FRAME_BYTES");
        assertThat(e).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aLengthOfExactlyTheMaximumIsAcceptedAndOneMoreIsNot() {
        ByteBuf atMax = Unpooled.buffer().writeShort(FrameCodec.MAGIC).writeByte(1).writeByte(FrameType.BYE.code()).writeInt(MAX);
        track(atMax);
        assertThat(FrameCodec.decode(atMax, MAX)).as("a header announcing exactly the maximum only waits for the payload").isNull();
        atMax.release();
        ByteBuf over = Unpooled.buffer().writeShort(FrameCodec.MAGIC).writeByte(1).writeByte(FrameType.BYE.code()).writeInt(MAX + 1);
        expectFailure(over, FrameTooLongException.class, ErrorCode.FRAME_TOO_LARGE, String.valueOf(MAX + 1));
    }

    @Test
    void trailingBytesAreRefusedAndTheFrameIsConsumed() {
        ByteBuf b = track(frame(FrameType.PING, p -> p.writeLong(1).writeByte(0)));
        int length = b.readableBytes();
        CorruptFrameException e = catchThrowableOfType(CorruptFrameException.class, () -> FrameCodec.decode(b, MAX));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(e.getMessage()).contains("PING").contains("1 trailing byte");
        assertThat(b.readerIndex()).as("the bad frame's bytes are consumed").isEqualTo(length);
        b.release();
    }

    @Test
    void aTruncatedStringIsRefused() {
        // ACK whose stream length says 10 bytes but the payload ends after 3.
        ByteBuf b = frame(FrameType.ACK, p -> p.writeShort(10).writeBytes("mic".getBytes(StandardCharsets.US_ASCII)));
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'stream'", "needs 10 bytes", "3 left");
    }

    @Test
    void aPayloadEndingInsideANumberIsRefused() {
        ByteBuf b = frame(FrameType.ACK, p -> {
            writeString(p, "mic");
            p.writeInt(1);
        });
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'seq'", "needs 8 bytes");
    }

    @Test
    void aNegativeSeqIsRefused() {
        ByteBuf ack = frame(FrameType.ACK, p -> {
            writeString(p, "mic");
            p.writeLong(-1);
        });
        expectFailure(ack, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'seq'", "-1");
        ByteBuf audio = frame(FrameType.AUDIO, p -> {
            writeString(p, "mic");
            p.writeLong(-5).writeLong(0).writeInt(16_000).writeShort(1).writeByte(1).writeByte(0).writeInt(0);
        });
        expectFailure(audio, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'seq'", "-5");
    }

    @Test
    void aGapWithToBeforeFromIsRefused() {
        ByteBuf b = frame(FrameType.GAP, p -> {
            writeString(p, "s");
            p.writeLong(9).writeLong(3).writeByte(1);
            writeString(p, "");
        });
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "toSeq 3", "fromSeq 9");
    }

    @Test
    void audioWhoseSampleBytesDoNotMatchItsHeaderIsRefused() {
        // 3 frames x 2 channels x 2 bytes = 12 bytes announced, 10 carried.
        expectFailure(frame(FrameType.AUDIO, audioPayload(2, 1, 3, 10)), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME,
                "'mic'", "3 frames", "12 sample bytes", "carries 10");
        // One byte too many is just as wrong.
        expectFailure(frame(FrameType.AUDIO, audioPayload(1, 2, 2, 9)), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME,
                "8 sample bytes", "carries 9");
        // A frame count whose byte count overflows an int must not wrap around to a match.
        expectFailure(frame(FrameType.AUDIO, audioPayload(2, 2, 0xFFFF_FFFFL, 8)), CorruptFrameException.class,
                ErrorCode.MALFORMED_FRAME, "4294967295 frames");
    }

    @Test
    void audioWithAnUnknownSampleFormatIsRefused() {
        expectFailure(frame(FrameType.AUDIO, audioPayload(1, 7, 1, 2)), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME,
                "AUDIO", "format", "7");
        expectFailure(frame(FrameType.AUDIO, audioPayload(1, 0, 1, 2)), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME,
                "format", "0");
    }

    @Test
    void audioWithZeroChannelsIsRefused() {
        expectFailure(frame(FrameType.AUDIO, audioPayload(0, 1, 0, 0)), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME,
                "channels 0");
    }

    @Test
    void audioWithANonPositiveSampleRateIsRefused() {
        ByteBuf b = frame(FrameType.AUDIO, p -> {
            writeString(p, "mic");
            p.writeLong(0).writeLong(0).writeInt(0).writeShort(1).writeByte(1).writeByte(0).writeInt(0);
        });
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'sampleRate'", "0");
    }

    @Test
    void helloAnnouncingMoreSubscriptionsThanThePayloadHoldsIsRefused() {
        ByteBuf b = frame(FrameType.HELLO, p -> {
            p.writeByte(2);
            writeString(p, "p");
            p.writeLong(1);
            writeString(p, "");
            p.writeShort(8).writeByte(1).writeLong(0);
            p.writeShort(65535);                      // 65535 subscriptions...
            writeString(p, "a");                      // ...in 3 bytes
            p.writeShort(0);
        });
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'subscriptions'");
    }

    @Test
    void helloAnnouncingMorePositionsThanThePayloadHoldsIsRefused() {
        ByteBuf b = frame(FrameType.HELLO, p -> {
            p.writeByte(2);
            writeString(p, "p");
            p.writeLong(1);
            writeString(p, "");
            p.writeShort(8).writeByte(1).writeLong(0);
            p.writeShort(0);
            p.writeShort(2);                          // 2 positions need >= 20 bytes
            writeString(p, "a");
            p.writeLong(1);
        });
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'positions'");
    }

    @Test
    void helloWithAnUnknownStartModeOrNegativeBackIsRefused() {
        expectFailure(frame(FrameType.HELLO, p -> {
            p.writeByte(2);
            writeString(p, "p");
            p.writeLong(1);
            writeString(p, "");
            p.writeShort(8).writeByte(9).writeLong(0).writeShort(0).writeShort(0);
        }), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "startMode 9");
        expectFailure(frame(FrameType.HELLO, p -> {
            p.writeByte(2);
            writeString(p, "p");
            p.writeLong(1);
            writeString(p, "");
            p.writeShort(8).writeByte(3).writeLong(-1000).writeShort(0).writeShort(0);
        }), CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "startBackMillis", "-1000");
    }

    @Test
    void welcomeWithNonPositiveMaxFrameBytesIsRefused() {
        ByteBuf b = frame(FrameType.WELCOME, p -> {
            writeString(p, "m");
            p.writeLong(1).writeInt(0).writeInt(5000).writeLong(-1);
        });
        expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "'maxFrameBytes'");
    }

    @ParameterizedTest(name = "{0} with an empty payload")
    @EnumSource(value = FrameType.class, names = {"HELLO", "WELCOME", "ERROR", "AUDIO", "ACK", "GAP", "BYE", "PING", "PONG",
        "REPLAY", "REPLAY_ANSWER"})
    void everyTypeWithAnEmptyPayloadIsRefusedNamingItsFirstField(FrameType type) {
        ByteBuf b = frame(type, p -> { });
        ProtocolException e = expectFailure(b, CorruptFrameException.class, ErrorCode.MALFORMED_FRAME, "payload ends inside field");
        assertThat(e.getMessage()).as("names the first field of %s", type).containsPattern("field '\\w+'");
    }
}
