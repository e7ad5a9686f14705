package io.audiosockets.internal.protocol.codec;

import io.audiosockets.internal.protocol.GapFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.internal.protocol.CorruptFrameException;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.FrameTooLongException;
import io.audiosockets.internal.protocol.FrameType;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.Pong;
import io.audiosockets.internal.protocol.ProtocolException;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameEncoder} and {@link FrameDecoder} in a Netty pipeline ({@link EmbeddedChannel}):
 * whatever way TCP happens to split the bytes, the same messages come out in the same order, and
 * after a protocol error the decoder fails once and then ignores the rest of the connection.
 */
class FrameCodecChannelTest {
    private static final int MAX = 64 * 1024;

    /** A mix of every frame type, audio of both formats among them. */
    private static List<Message> mixedMessages() {
        byte[] s16 = new byte[160 * 2];
        for (int i = 0; i < s16.length; i++) {
            s16[i] = (byte) (i * 7);
        }
        byte[] f32 = new byte[20 * 2 * 4];
        for (int i = 0; i < f32.length; i++) {
            f32[i] = (byte) (255 - i);
        }
        return List.of(
                new Hello(Role.RECORDER.code(), "mic", 42, "token", 64, StartPosition.RESUME, List.of(), Map.of()),
                new Welcome("audiosockets-mailman/0.1", 1, MAX, 5000, -1),
                new AudioMessage(new AudioChunk("mic", 0, 1_000, 16_000, 1, SampleFormat.PCM_S16LE, s16)),
                new Ack("mic", 0),
                new AudioMessage(new AudioChunk("mic", 1, 2_000, 16_000, 2, SampleFormat.FLOAT32LE, f32), AudioFrame.FLAG_REDELIVERY),
                new Ping(123),
                new Pong(123),
                new GapFrame(new Gap("mic", 2, 5, GapReason.RETENTION_EXCEEDED, "fell behind")),
                new ErrorMessage(ErrorCode.SHUTTING_DOWN, "bye for now"),
                new Hello(Role.PROCESSOR.code(), "vad", 7, "", 8, StartPosition.secondsBack(Duration.ofSeconds(3)),
                        List.of("mic"), Map.of("mic", 6L)),
                new Bye("DISCONNECT"));
    }

    /** The bytes the encoder writes for {@code messages}, with every outbound buffer released. */
    private static byte[] encodeThroughChannel(List<Message> messages) {
        EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder());
        for (Message m : messages) {
            assertThat(out.writeOutbound(m)).as("encoder produced output for %s", m).isTrue();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuf b; (b = out.readOutbound()) != null; ) {
            bytes.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        assertThat(out.finishAndReleaseAll()).as("nothing left in the encoder channel").isFalse();
        return bytes.toByteArray();
    }

    /** Reads every inbound message of {@code ch}. */
    private static List<Message> drain(EmbeddedChannel ch) {
        List<Message> got = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            got.add((Message) o);
        }
        return got;
    }

    /**
     * Asserts {@code got} are {@code expected}, comparing audio by its chunk and flags, and
     * releases every decoded {@link AudioFrame}.
     */
    private static void assertSameMessages(List<Message> got, List<Message> expected, String context) {
        try {
            assertThat(got).as("number of messages decoded %s", context).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                Message e = expected.get(i);
                Message g = got.get(i);
                if (e instanceof AudioMessage a) {
                    assertThat(g).as("message %d %s", i, context).isInstanceOf(AudioFrame.class);
                    AudioFrame f = (AudioFrame) g;
                    assertThat(f.toChunk()).as("chunk of message %d %s", i, context).isEqualTo(a.chunk());
                    assertThat(f.flags()).as("flags of message %d %s", i, context).isEqualTo(a.flags());
                } else {
                    assertThat(g).as("message %d %s", i, context).isEqualTo(e);
                }
            }
        } finally {
            for (Message m : got) {
                if (m instanceof AudioFrame f) {
                    f.release();
                }
            }
        }
    }

    /** Feeds {@code pieces} of the stream, in order, to a fresh decoder channel and returns what came out. */
    private static List<Message> decodeInPieces(byte[] stream, int[] cuts) {
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
        int from = 0;
        for (int cut : cuts) {
            in.writeInbound(Unpooled.copiedBuffer(stream, from, cut - from));
            from = cut;
        }
        in.writeInbound(Unpooled.copiedBuffer(stream, from, stream.length - from));
        List<Message> got = drain(in);
        assertThat(in.finishAndReleaseAll()).as("no inbound message left over after draining").isFalse();
        return got;
    }

    @Test
    void allBytesAtOnceGiveEveryMessageInOrder() {
        List<Message> messages = mixedMessages();
        byte[] stream = encodeThroughChannel(messages);
        assertSameMessages(decodeInPieces(stream, new int[0]), messages, "from one buffer");
    }

    @Test
    void theEncoderWritesWhatFrameCodecWrites() {
        List<Message> messages = mixedMessages();
        ByteBuf direct = Unpooled.buffer();
        try {
            for (Message m : messages) {
                FrameCodec.encode(m, direct);
            }
            assertThat(encodeThroughChannel(messages)).isEqualTo(ByteBufUtil.getBytes(direct));
        } finally {
            direct.release();
        }
    }

    @Test
    void splittingTheStreamInTwoAtEveryOffsetChangesNothing() {
        List<Message> messages = mixedMessages();
        byte[] stream = encodeThroughChannel(messages);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertSameMessages(decodeInPieces(stream, new int[] {cut}), messages, "with the bytes split at offset " + cut);
        }
    }

    @Test
    void randomChunkSizesChangeNothing() {
        List<Message> messages = mixedMessages();
        byte[] stream = encodeThroughChannel(messages);
        Random random = new Random(20240611L);
        for (int round = 0; round < 200; round++) {
            int maxPiece = 1 + random.nextInt(round % 2 == 0 ? 8 : 200);
            List<Integer> cuts = new ArrayList<>();
            for (int at = random.nextInt(maxPiece) + 1; at < stream.length; at += random.nextInt(maxPiece) + 1) {
                cuts.add(at);
            }
            int[] c = cuts.stream().mapToInt(Integer::intValue).toArray();
            assertSameMessages(decodeInPieces(stream, c), messages,
                    "in round " + round + " with cuts " + Arrays.toString(c));
        }
    }

    @Test
    void oneByteAtATimeChangesNothing() {
        List<Message> messages = mixedMessages();
        byte[] stream = encodeThroughChannel(messages);
        int[] everyByte = new int[stream.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertSameMessages(decodeInPieces(stream, everyByte), messages, "one byte at a time");
    }

    @Test
    void aReceivedAudioFrameIsForwardedWithoutACopyAndReleased() {
        byte[] stream = encodeThroughChannel(List.of(mixedMessages().get(2)));
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
        in.writeInbound(Unpooled.copiedBuffer(stream));
        AudioFrame frame = in.readInbound();
        ByteBuf content = frame.content();

        EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder());
        out.writeOutbound(frame);   // passes the frame's reference on
        ByteBuf written = out.readOutbound();
        try {
            assertThat(written).as("the encoder writes the frame's own buffer, not a copy").isSameAs(content);
            assertThat(ByteBufUtil.getBytes(written)).isEqualTo(stream);
        } finally {
            written.release();
        }
        assertThat(frame.refCnt()).as("after the written buffer is released nothing holds the frame").isZero();
        assertThat(out.finishAndReleaseAll()).isFalse();
        assertThat(in.finishAndReleaseAll()).isFalse();
    }

    /**
     * The intended behaviour after a protocol error: the decoder throws once, then discards every
     * byte that follows, even valid frames, because the connection is being closed (the mailman
     * sends an ERROR and closes) and nothing after a broken frame can be trusted to start on a
     * frame boundary.
     */
    @Test
    void afterACorruptFrameTheDecoderThrowsOnceThenDiscardsEverything() {
        byte[] ping = encodeThroughChannel(List.of(new Ping(1)));
        byte[] audio = encodeThroughChannel(List.of(mixedMessages().get(2)));
        byte[] garbage = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.writeBytes(ping);
        first.writeBytes(garbage);
        first.writeBytes(ping);

        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
        CorruptFrameException e = catchThrowableOfType(CorruptFrameException.class,
                () -> in.writeInbound(Unpooled.wrappedBuffer(first.toByteArray())));
        assertThat(e).as("the garbage is reported").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(e.getMessage()).contains("magic");
        assertThat(drain(in)).as("the frame before the garbage is still delivered").containsExactly(new Ping(1));

        // Valid frames after the error are ignored, and no second exception is raised.
        in.writeInbound(Unpooled.wrappedBuffer(ping));
        in.writeInbound(Unpooled.wrappedBuffer(audio));
        in.writeInbound(Unpooled.wrappedBuffer(garbage));
        in.checkException();
        assertThat(drain(in)).as("messages decoded after the protocol error").isEmpty();
        assertThat(in.finishAndReleaseAll()).as("no inbound message left over").isFalse();
    }

    @Test
    void anOversizedHeaderFailsAsSoonAsItsEightBytesArrive() {
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(1024));
        ByteBuf header = Unpooled.buffer(8).writeShort(FrameCodec.MAGIC).writeByte(1).writeByte(FrameType.AUDIO.code())
                .writeInt(Integer.MAX_VALUE);
        FrameTooLongException e = catchThrowableOfType(FrameTooLongException.class, () -> in.writeInbound(header));
        assertThat(e).as("thrown without waiting for the announced 2 GiB").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(e.getMessage()).contains(String.valueOf(Integer.MAX_VALUE)).contains("1024");
        assertThat(header.refCnt()).as("the decoder released the header bytes").isZero();
        in.writeInbound(Unpooled.wrappedBuffer(new byte[4096]));
        in.checkException();
        assertThat(drain(in)).isEmpty();
        assertThat(in.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aCorruptAudioFrameInTheMiddleReleasesItsBytes() {
        byte[] ack = encodeThroughChannel(List.of(new Ack("mic", 3)));
        // AUDIO announcing 2 frames of mono PCM16 (4 bytes) but carrying 3.
        ByteBuf bad = Unpooled.buffer();
        bad.writeShort(FrameCodec.MAGIC).writeByte(1).writeByte(FrameType.AUDIO.code()).writeInt(5 + 8 + 8 + 4 + 2 + 1 + 1 + 4 + 3);
        bad.writeShort(3).writeBytes(new byte[] {'m', 'i', 'c'}).writeLong(0).writeLong(0).writeInt(16_000).writeShort(1)
                .writeByte(1).writeByte(0).writeInt(2).writeBytes(new byte[] {1, 2, 3});
        ByteBuf input = Unpooled.buffer().writeBytes(ack).writeBytes(bad).writeBytes(ack);
        bad.release();
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(MAX));
        assertThatThrownBy(() -> in.writeInbound(input)).isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("carries 3");
        assertThat(input.refCnt()).as("the input, including the bad frame's retained slice, is released").isZero();
        assertThat(drain(in)).containsExactly(new Ack("mic", 3));
        assertThat(in.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theDecoderRefusesANonPositiveMaximum() {
        assertThatThrownBy(() -> new FrameDecoder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPayloadBytes").hasMessageContaining("0");
    }

    @Test
    void aProtocolExceptionIsADecoderException() {
        // Netty passes a DecoderException through exceptionCaught unwrapped: the ErrorHandler relies on it.
        assertThat(io.netty.handler.codec.DecoderException.class).isAssignableFrom(ProtocolException.class);
    }
}
