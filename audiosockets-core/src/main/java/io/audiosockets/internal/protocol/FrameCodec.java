package io.audiosockets.internal.protocol;

import io.audiosockets.internal.audio.ChunkBytes;
import io.audiosockets.protocol.ContentType;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The audiosockets wire format: {@link Message}s to bytes and back. Pure functions over Netty
 * buffers; the channel handlers {@code FrameEncoder} and {@code FrameDecoder} wrap them.
 *
 * <pre>
 * Every frame: an 8-byte header, then the payload. Big-endian.
 * +--------+--------+---------+--------+----------------+------------------------+
 * | 0x41   | 0x53   | version | type   | payload length | payload ...            |
 * | 'A'    | 'S'    | u8 = 1  | u8     | u32            | (payload length bytes) |
 * +--------+--------+---------+--------+----------------+------------------------+
 * </pre>
 *
 * Strings are a u16 byte count followed by that many bytes of UTF-8. PROTOCOL.md gives each
 * payload; the layouts below are its source of truth.
 *
 * <p>Decoding checks the magic, the version and the announced length <em>before</em> anything
 * is allocated for the payload, so a peer cannot make the receiver allocate what it claims.
 */
public final class FrameCodec {
    /** The two magic bytes, "AS". */
    public static final int MAGIC = 0x4153;
    /** The highest protocol version this implementation speaks; it reads every version from 1 up to it. */
    public static final int VERSION = 3;
    /** Bytes in a frame header. */
    public static final int HEADER_BYTES = 8;
    /** Longest string field, in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 0xFFFF;

    private FrameCodec() {
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Appends the whole frame for {@code message} to {@code out}.
     *
     * @throws IllegalArgumentException if a string is longer than {@value #MAX_STRING_BYTES} bytes
     */
    public static void encode(Message message, ByteBuf out) {
        int start = out.writerIndex();
        // HELLO announces the client's version; every other frame carries the version that introduced its type,
        // so that a peer of an older version reads every frame it may be sent (PROTOCOL.md §9).
        int version = message instanceof Hello h ? h.version() : message.type().sinceVersion();
        out.writeShort(MAGIC).writeByte(version).writeByte(message.type().code()).writeInt(0);
        if (message instanceof StreamFrame f) {
            // Already encoded: copy the bytes as they are (the channel encoder avoids even this copy).
            out.writerIndex(start);
            out.writeBytes(f.content(), f.content().readerIndex(), f.content().readableBytes());
            return;
        } else if (message instanceof AudioMessage a) {
            encodeAudio(a.chunk(), a.flags(), out);
        } else if (message instanceof RecordMessage r) {
            encodeRecord(r.record(), r.flags(), out);
        } else if (message instanceof Ack a) {
            writeString(out, a.stream());
            out.writeLong(a.seq());
        } else if (message instanceof Hello h) {
            encodeHello(h, out);
        } else if (message instanceof Welcome w) {
            writeString(out, w.server());
            out.writeLong(w.sessionId()).writeInt(w.maxFrameBytes()).writeInt(w.heartbeatMillis()).writeLong(w.lastSeq());
        } else if (message instanceof ErrorMessage e) {
            out.writeShort(e.code().code());
            writeString(out, e.message());
        } else if (message instanceof GapFrame gapFrame) {
            Gap g = gapFrame.gap();
            writeString(out, g.stream());
            out.writeLong(g.fromSeq()).writeLong(g.toSeq()).writeByte(g.reason().code());
            writeString(out, g.message());
        } else if (message instanceof Bye b) {
            writeString(out, b.message());
        } else if (message instanceof Ping p) {
            out.writeLong(p.nonce());
        } else if (message instanceof Pong p) {
            out.writeLong(p.nonce());
        } else if (message instanceof ReplayRequest r) {
            writeString(out, r.stream());
            out.writeLong(r.fromSeq()).writeLong(r.toSeq());
        } else if (message instanceof ReplayAnswer r) {
            writeString(out, r.stream());
            out.writeLong(r.fromSeq()).writeLong(r.count());
        } else {
            throw new IllegalArgumentException("unknown message type " + message.getClass().getName());
        }
        out.setInt(start + 4, out.writerIndex() - start - HEADER_BYTES);
    }

    /** Upper bound of the encoded size of {@code message}, for sizing buffers. */
    public static int estimateSize(Message message) {
        if (message instanceof AudioMessage a) {
            return HEADER_BYTES + 2 + 3 * a.chunk().stream().length() + 32 + a.chunk().byteCount();
        }
        if (message instanceof RecordMessage r) {
            return HEADER_BYTES + 2 + 3 * r.record().stream().length() + 34 + r.record().data().length;
        }
        if (message instanceof StreamFrame f) {
            return f.encodedBytes();
        }
        return 256;
    }

    private static void encodeHello(Hello h, ByteBuf out) {
        out.writeByte(h.roleCode());
        writeString(out, h.name());
        out.writeLong(h.instanceId());
        writeString(out, h.token());
        out.writeShort(h.window());
        out.writeByte(h.start().mode().code());
        out.writeLong(h.start().back().toMillis());
        out.writeShort(h.subscriptions().size());
        for (String s : h.subscriptions()) {
            writeString(out, s);
        }
        out.writeShort(h.positions().size());
        for (Map.Entry<String, Long> e : h.positions().entrySet()) {
            writeString(out, e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static void encodeAudio(AudioChunk c, int flags, ByteBuf out) {
        writeString(out, c.stream());
        out.writeLong(c.seq()).writeLong(c.captureTimeNanos()).writeInt(c.sampleRate()).writeShort(c.channels())
                .writeByte(c.format().code()).writeByte(flags).writeInt(c.frames());
        out.writeBytes(ChunkBytes.bytes(c));
    }

    private static void encodeRecord(ResultRecord r, int flags, ByteBuf out) {
        writeString(out, r.stream());
        out.writeLong(r.seq()).writeLong(r.timeNanos()).writeLong(r.durationNanos()).writeByte(r.contentType().code())
                .writeByte(flags);
        out.writeBytes(r.data());
    }

    private static void writeString(ByteBuf out, String s) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int n = ByteBufUtil.writeUtf8(out, s);
        if (n > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + n + " UTF-8 bytes is longer than " + MAX_STRING_BYTES);
        }
        out.setShort(lengthAt, n);
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes one frame from the readable bytes of {@code in}, or returns {@code null} (consuming
     * nothing) if the frame is not complete yet. On success the frame's bytes are consumed.
     *
     * <p>An {@link AudioFrame} result owns a retained slice of {@code in}: the caller releases it.
     *
     * @param maxPayloadBytes the largest payload accepted
     * @throws FrameTooLongException as soon as the header announces more than {@code maxPayloadBytes}
     * @throws ProtocolException for bad magic, an unsupported version, an unknown type or a
     *         malformed payload; the bytes of the bad frame are consumed when its length was valid
     */
    public static Message decode(ByteBuf in, int maxPayloadBytes) {
        if (in.readableBytes() < HEADER_BYTES) {
            // A short prefix can already be judged: fail fast on garbage instead of waiting for 8 bytes.
            checkMagicPrefix(in);
            return null;
        }
        int at = in.readerIndex();
        int magic = in.getUnsignedShort(at);
        if (magic != MAGIC) {
            throw new CorruptFrameException(String.format(
                    "bad magic 0x%04x (expected 0x%04x, \"AS\"): the peer does not speak the audiosockets protocol", magic, MAGIC));
        }
        int version = in.getUnsignedByte(at + 2);
        if (version < 1 || version > VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + version + " is not supported (this peer speaks versions 1 to " + VERSION + ")");
        }
        int typeCode = in.getUnsignedByte(at + 3);
        long length = in.getUnsignedInt(at + 4);
        if (length > maxPayloadBytes) {
            throw new FrameTooLongException(length, maxPayloadBytes);
        }
        FrameType type = FrameType.fromCode(typeCode);
        if (type == null) {
            throw new CorruptFrameException("unknown frame type " + typeCode + " (expected 1..12)");
        }
        if (version < type.sinceVersion()) {
            throw new CorruptFrameException(type + " frames exist from protocol version " + type.sinceVersion()
                    + "; this one's header says version " + version);
        }
        if (in.readableBytes() < HEADER_BYTES + length) {
            return null;
        }
        int frameEnd = at + HEADER_BYTES + (int) length;
        if (type == FrameType.AUDIO || type == FrameType.RECORD) {
            ByteBuf frame = in.retainedSlice(at, HEADER_BYTES + (int) length);
            try {
                StreamFrame f = type == FrameType.AUDIO ? decodeAudio(frame) : decodeRecord(frame);
                in.readerIndex(frameEnd);
                return f;
            } catch (RuntimeException e) {
                frame.release();
                in.readerIndex(frameEnd);
                throw e;
            }
        }
        ByteBuf payload = in.slice(at + HEADER_BYTES, (int) length);
        in.readerIndex(frameEnd);
        Message m = switch (type) {
            case HELLO -> decodeHello(payload, version);
            case WELCOME -> new Welcome(readString(payload, "server"), readLong(payload, "sessionId"),
                    positiveInt(payload, "maxFrameBytes"), nonNegativeInt(payload, "heartbeatMillis"), readLong(payload, "lastSeq"));
            case ERROR -> new ErrorMessage(ErrorCode.fromCode(readUnsignedShort(payload, "code")), readString(payload, "message"));
            case ACK -> new Ack(readString(payload, "stream"), nonNegativeLong(payload, "seq"));
            case GAP -> decodeGap(payload);
            case BYE -> new Bye(readString(payload, "message"));
            case PING -> new Ping(readLong(payload, "nonce"));
            case PONG -> new Pong(readLong(payload, "nonce"));
            case REPLAY -> decodeReplayRequest(payload);
            case REPLAY_ANSWER -> new ReplayAnswer(readString(payload, "stream"), nonNegativeLong(payload, "fromSeq"),
                    nonNegativeLong(payload, "count"));
            default -> throw new IllegalStateException("unreachable: " + type);
        };
        if (payload.isReadable()) {
            throw new CorruptFrameException(type + " frame has " + payload.readableBytes() + " trailing bytes after its last field");
        }
        return m;
    }

    private static void checkMagicPrefix(ByteBuf in) {
        int n = in.readableBytes();
        int at = in.readerIndex();
        if (n >= 1 && in.getUnsignedByte(at) != (MAGIC >>> 8)
                || n >= 2 && in.getUnsignedShort(at) != MAGIC) {
            int got = n >= 2 ? in.getUnsignedShort(at) : in.getUnsignedByte(at) << 8;
            throw new CorruptFrameException(String.format(
                    "bad magic 0x%04x (expected 0x%04x, \"AS\"): the peer does not speak the audiosockets protocol", got, MAGIC));
        }
    }

    private static Hello decodeHello(ByteBuf p, int version) {
        int role = readUnsignedByte(p, "role");
        String name = readString(p, "name");
        long instance = readLong(p, "instanceId");
        String token = readString(p, "token");
        int window = readUnsignedShort(p, "window");
        int modeCode = readUnsignedByte(p, "startMode");
        StartPosition.Mode mode = StartPosition.Mode.fromCode(modeCode);
        if (mode == null) {
            throw new CorruptFrameException("HELLO startMode " + modeCode + " is unknown (expected 0..3)");
        }
        long backMillis = readLong(p, "startBackMillis");
        if (backMillis < 0) {
            throw new CorruptFrameException("HELLO startBackMillis " + backMillis + " is negative");
        }
        int nSubs = readUnsignedShort(p, "subscriptionCount");
        // Each entry needs at least its 2-byte length: refuse a count the payload cannot hold before allocating.
        requireAtLeast(p, 2L * nSubs, "subscriptions");
        List<String> subs = new ArrayList<>(nSubs);
        for (int i = 0; i < nSubs; i++) {
            subs.add(readString(p, "subscription"));
        }
        int nPos = readUnsignedShort(p, "positionCount");
        requireAtLeast(p, 10L * nPos, "positions");
        Map<String, Long> positions = new HashMap<>();
        for (int i = 0; i < nPos; i++) {
            positions.put(readString(p, "position stream"), nonNegativeLong(p, "position seq"));
        }
        return new Hello(role, name, instance, token, window, new StartPosition(mode, Duration.ofMillis(backMillis)), subs, positions,
                version);
    }

    private static GapFrame decodeGap(ByteBuf p) {
        String stream = readString(p, "stream");
        long from = nonNegativeLong(p, "fromSeq");
        long to = nonNegativeLong(p, "toSeq");
        if (to < from) {
            throw new CorruptFrameException("GAP toSeq " + to + " < fromSeq " + from);
        }
        GapReason reason = GapReason.fromCode(readUnsignedByte(p, "reason"));
        return new GapFrame(new Gap(stream, from, to, reason, readString(p, "message")));
    }

    private static ReplayRequest decodeReplayRequest(ByteBuf p) {
        String stream = readString(p, "stream");
        long from = nonNegativeLong(p, "fromSeq");
        long to = nonNegativeLong(p, "toSeq");
        if (to < from) {
            throw new CorruptFrameException("REPLAY toSeq " + to + " < fromSeq " + from);
        }
        return new ReplayRequest(stream, from, to);
    }

    private static AudioFrame decodeAudio(ByteBuf frame) {
        ByteBuf p = frame.duplicate().readerIndex(HEADER_BYTES);
        String stream = readString(p, "stream");
        long seq = nonNegativeLong(p, "seq");
        long captureTime = readLong(p, "captureTimeNanos");
        int rate = positiveInt(p, "sampleRate");
        int channels = readUnsignedShort(p, "channels");
        if (channels == 0) {
            throw new CorruptFrameException("AUDIO channels 0 (expected: 1..65535)");
        }
        int formatCode = readUnsignedByte(p, "format");
        SampleFormat format;
        try {
            format = SampleFormat.fromCode(formatCode);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("AUDIO " + e.getMessage());
        }
        int flagsIndex = p.readerIndex();
        int flags = readUnsignedByte(p, "flags");
        long frames = readUnsignedInt(p, "frames");
        long expected = frames * channels * format.bytesPerSample();
        if (expected != p.readableBytes()) {
            throw new CorruptFrameException("AUDIO of stream '" + stream + "' seq " + seq + " announces " + frames + " frames x "
                    + channels + " ch x " + format.bytesPerSample() + " bytes = " + expected + " sample bytes but carries "
                    + p.readableBytes());
        }
        return new AudioFrame(stream, seq, captureTime, rate, channels, format, flags, (int) frames, frame, flagsIndex, p.readerIndex());
    }

    private static RecordFrame decodeRecord(ByteBuf frame) {
        ByteBuf p = frame.duplicate().readerIndex(HEADER_BYTES);
        String stream = readString(p, "stream");
        long seq = nonNegativeLong(p, "seq");
        long time = readLong(p, "timeNanos");
        long duration = nonNegativeLong(p, "durationNanos");
        int typeCode = readUnsignedByte(p, "contentType");
        ContentType contentType = ContentType.fromCode(typeCode);
        if (contentType == null) {
            throw new CorruptFrameException("RECORD contentType " + typeCode + " is unknown (expected 1..3)");
        }
        int flagsIndex = p.readerIndex();
        int flags = readUnsignedByte(p, "flags");
        if (contentType == ContentType.FLOAT32 && p.readableBytes() % 4 != 0) {
            throw new CorruptFrameException("RECORD of stream '" + stream + "' seq " + seq + " is FLOAT32 but carries "
                    + p.readableBytes() + " bytes, not a whole number of floats");
        }
        return new RecordFrame(stream, seq, time, duration, contentType, flags, frame, flagsIndex, p.readerIndex());
    }

    /**
     * The AUDIO or RECORD frame of stream {@code stream} whose whole encoded bytes are
     * {@code encoded} (from its reader index to its writer index), without checking them again:
     * for bytes that {@link #decode} accepted before and that were kept since (see
     * {@link StreamFrame#copyTo}). Reads the header in place and allocates nothing but the frame,
     * which takes over the caller's reference to {@code encoded}.
     */
    public static StreamFrame rewrap(String stream, ByteBuf encoded) {
        int p = encoded.readerIndex();
        int typeCode = encoded.getUnsignedByte(p + 3);
        p += HEADER_BYTES;
        p += 2 + encoded.getUnsignedShort(p); // the stream's name: the caller knows it
        long seq = encoded.getLong(p);
        long time = encoded.getLong(p + 8);
        p += 16;
        if (typeCode == FrameType.AUDIO.code()) {
            int rate = encoded.getInt(p);
            int channels = encoded.getUnsignedShort(p + 4);
            SampleFormat format = SampleFormat.fromCode(encoded.getUnsignedByte(p + 6));
            int flagsIndex = p + 7;
            int frames = (int) encoded.getUnsignedInt(p + 8);
            return new AudioFrame(stream, seq, time, rate, channels, format, encoded.getUnsignedByte(flagsIndex), frames,
                    encoded, flagsIndex, p + 12);
        }
        if (typeCode != FrameType.RECORD.code()) {
            throw new IllegalArgumentException("frame type " + typeCode + " is not AUDIO or RECORD");
        }
        long duration = encoded.getLong(p);
        ContentType contentType = ContentType.fromCode(encoded.getUnsignedByte(p + 8));
        int flagsIndex = p + 9;
        return new RecordFrame(stream, seq, time, duration, contentType, encoded.getUnsignedByte(flagsIndex), encoded,
                flagsIndex, p + 10);
    }

    private static void requireAtLeast(ByteBuf p, long bytes, String field) {
        if (p.readableBytes() < bytes) {
            throw new CorruptFrameException("field '" + field + "' announces more entries than the " + p.readableBytes()
                    + " remaining payload bytes can hold");
        }
    }

    private static void require(ByteBuf p, int bytes, String field) {
        if (p.readableBytes() < bytes) {
            throw new CorruptFrameException("payload ends inside field '" + field + "' (needs " + bytes + " bytes, "
                    + p.readableBytes() + " left)");
        }
    }

    private static String readString(ByteBuf p, String field) {
        require(p, 2, field);
        int n = p.readUnsignedShort();
        require(p, n, field);
        String s = p.toString(p.readerIndex(), n, StandardCharsets.UTF_8);
        p.skipBytes(n);
        return s;
    }

    private static long readLong(ByteBuf p, String field) {
        require(p, 8, field);
        return p.readLong();
    }

    private static long nonNegativeLong(ByteBuf p, String field) {
        long v = readLong(p, field);
        if (v < 0) {
            throw new CorruptFrameException("field '" + field + "' is " + v + " (expected: >= 0)");
        }
        return v;
    }

    private static long readUnsignedInt(ByteBuf p, String field) {
        require(p, 4, field);
        return p.readUnsignedInt();
    }

    private static int positiveInt(ByteBuf p, String field) {
        require(p, 4, field);
        int v = p.readInt();
        if (v <= 0) {
            throw new CorruptFrameException("field '" + field + "' is " + v + " (expected: > 0)");
        }
        return v;
    }

    private static int nonNegativeInt(ByteBuf p, String field) {
        require(p, 4, field);
        int v = p.readInt();
        if (v < 0) {
            throw new CorruptFrameException("field '" + field + "' is " + v + " (expected: >= 0)");
        }
        return v;
    }

    private static int readUnsignedShort(ByteBuf p, String field) {
        require(p, 2, field);
        return p.readUnsignedShort();
    }

    private static int readUnsignedByte(ByteBuf p, String field) {
        require(p, 1, field);
        return p.readUnsignedByte();
    }
}
