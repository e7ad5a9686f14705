package io.audiosockets.loadtest;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The few frames of PROTOCOL.md the scale workload speaks, written and read by hand on plain
 * {@link ByteBuffer}s (big-endian, as on the wire), so that thousands of simulated clients cost
 * a copy and a system call per chunk rather than a client object each.
 *
 * <p>Offsets are frame offsets (header included). Stateless; thread-safe.
 */
final class RawWire {
    static final int HEADER_BYTES = 8;
    static final int HELLO = 1;
    static final int WELCOME = 2;
    static final int ERROR = 3;
    static final int AUDIO = 4;
    static final int ACK = 5;
    static final int GAP = 6;
    static final int BYE = 7;
    static final int PING = 8;
    static final int PONG = 9;
    static final int REPLAY = 10;
    static final int REPLAY_ANSWER = 11;
    static final int ROLE_RECORDER = 1;
    static final int ROLE_PROCESSOR = 2;
    /** AUDIO payload bytes besides the stream name and the samples (§4.4). */
    private static final int AUDIO_FIXED = 30;
    private static final int SAMPLE_RATE = 16_000;
    private static final int FORMAT_FLOAT32LE = 2;

    private RawWire() {
    }

    private static void header(ByteBuffer out, int type, int length) {
        header(out, 1, type, length);
    }

    private static void header(ByteBuffer out, int version, int type, int length) {
        out.putShort((short) 0x4153).put((byte) version).put((byte) type).putInt(length);
    }

    private static void string(ByteBuffer out, byte[] utf8) {
        out.putShort((short) utf8.length).put(utf8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A whole HELLO frame (§4.1): RESUME start, no positions.
     *
     * @param version the header's version: 3 for a recorder whose ACKs may be held back (§5.2), 1 otherwise
     * @param subscriptions a processor's streams (empty: every stream); a recorder's: empty
     */
    static ByteBuffer hello(int version, int role, String name, long instanceId, String token, int window, List<String> subscriptions) {
        byte[] n = utf8(name);
        byte[] t = utf8(token);
        int length = 28 + n.length + t.length;
        for (String s : subscriptions) {
            length += 2 + utf8(s).length;
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + length);
        header(b, version, HELLO, length);
        b.put((byte) role);
        string(b, n);
        b.putLong(instanceId);
        string(b, t);
        b.putShort((short) window).put((byte) 0).putLong(0).putShort((short) subscriptions.size());
        for (String s : subscriptions) {
            string(b, utf8(s));
        }
        b.putShort((short) 0);
        return b.flip();
    }

    /**
     * A whole AUDIO frame (§4.4) of {@code samples} float32 mono samples at 16 kHz (a quiet
     * 440 Hz tone) with seq and capture time 0: {@link #stamp} fills those in for each chunk.
     */
    static byte[] audioTemplate(String stream, int samples) {
        byte[] n = utf8(stream);
        int length = AUDIO_FIXED + n.length + samples * 4;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + length);
        header(b, AUDIO, length);
        string(b, n);
        b.putLong(0).putLong(0).putInt(SAMPLE_RATE).putShort((short) 1).put((byte) FORMAT_FLOAT32LE).put((byte) 0).putInt(samples);
        ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            le.putFloat((float) (0.1 * Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE)));
        }
        return b.array();
    }

    /** Writes seq and capture time into the AUDIO frame that starts at {@code frameStart} of {@code out}. */
    static void stamp(ByteBuffer out, int frameStart, int nameBytes, long seq, long captureEpochNanos) {
        out.putLong(frameStart + HEADER_BYTES + 2 + nameBytes, seq);
        out.putLong(frameStart + HEADER_BYTES + 10 + nameBytes, captureEpochNanos);
    }

    /** Appends ACK(stream, seq) (§4.5). */
    static void ack(ByteBuffer out, byte[] stream, long seq) {
        header(out, ACK, 10 + stream.length);
        string(out, stream);
        out.putLong(seq);
    }

    /** Bytes of an ACK frame for a stream name of {@code nameBytes}. */
    static int ackBytes(int nameBytes) {
        return HEADER_BYTES + 10 + nameBytes;
    }

    /** Appends PONG(nonce) (§4.9). */
    static void pong(ByteBuffer out, long nonce) {
        header(out, PONG, 8);
        out.putLong(nonce);
    }

    /** Appends REPLAY_ANSWER(stream, toSeq + 1, 0): this generator keeps nothing to replay (§4.11). */
    static void emptyReplayAnswer(ByteBuffer out, byte[] stream, long toSeq) {
        header(out, REPLAY_ANSWER, 18 + stream.length);
        string(out, stream);
        out.putLong(toSeq + 1).putLong(0);
    }

    /** The type of the frame at {@code at}. */
    static int type(ByteBuffer b, int at) {
        return b.get(at + 3) & 0xFF;
    }

    /**
     * The payload length of the frame at {@code at}, after checking its magic.
     *
     * @throws IOException if the bytes are not an audiosockets frame
     */
    static int length(ByteBuffer b, int at) throws IOException {
        if ((b.getShort(at) & 0xFFFF) != 0x4153) {
            throw new IOException(String.format("bad magic 0x%04x from the mailman", b.getShort(at) & 0xFFFF));
        }
        long length = b.getInt(at + 4) & 0xFFFF_FFFFL;
        if (length > Integer.MAX_VALUE - HEADER_BYTES) {
            throw new IOException("a frame of " + length + " bytes from the mailman");
        }
        return (int) length;
    }

    /** The UTF-8 length of the string field at {@code at}. */
    static int stringBytes(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }

    /** The string field at {@code at}. */
    static String string(ByteBuffer b, int at) {
        int n = stringBytes(b, at);
        byte[] bytes = new byte[n];
        b.get(at + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The number at the end of the string field at {@code at} (the "-r12" of a stream name), or -1 if none. */
    static int trailingNumber(ByteBuffer b, int at) {
        int end = at + 2 + stringBytes(b, at);
        int value = 0;
        int scale = 1;
        int i = end - 1;
        for (; i >= at + 2; i--) {
            int c = b.get(i);
            if (c < '0' || c > '9') {
                break;
            }
            value += (c - '0') * scale;
            scale *= 10;
        }
        return i == end - 1 ? -1 : value;
    }

    /** ERROR's text (§4.3): "code N: message". */
    static String error(ByteBuffer b, int at) {
        return "code " + (b.getShort(at + HEADER_BYTES) & 0xFFFF) + ": " + string(b, at + HEADER_BYTES + 2);
    }

    /**
     * Sends {@code hello} and reads the answer on a blocking channel, byte-exact (nothing beyond
     * the answer is read). Returns WELCOME's lastSeq.
     *
     * @throws IOException naming {@code who} if the mailman refuses or hangs up
     */
    static long handshake(SocketChannel ch, ByteBuffer hello, String who) throws IOException {
        while (hello.hasRemaining()) {
            ch.write(hello);
        }
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
        readFully(ch, head, who);
        int length = length(head, 0);
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + length);
        frame.put(head.flip());
        readFully(ch, frame, who);
        int type = type(frame, 0);
        if (type == ERROR) {
            throw new IOException(who + ": the mailman refused the HELLO: " + error(frame, 0));
        }
        if (type != WELCOME) {
            throw new IOException(who + ": expected WELCOME, got frame type " + type);
        }
        int s = stringBytes(frame, HEADER_BYTES);
        return frame.getLong(HEADER_BYTES + 2 + s + 16);
    }

    private static void readFully(SocketChannel ch, ByteBuffer b, String who) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException(who + ": the mailman closed the connection during the handshake");
            }
        }
    }
}
