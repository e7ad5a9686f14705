package io.audiosockets.testkit;

import io.audiosockets.internal.protocol.GapFrame;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.protocol.Gap;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.Pong;
import io.audiosockets.internal.protocol.RecordMessage;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Raw-frame peers for tests that hold the mailman to PROTOCOL.md byte by byte: recorders and
 * processors whose every sequence number, acknowledgement and frame order is under the test's
 * control, and what a processor received, copied out of its frames.
 */
public final class Wire {
    /** How long a test waits for the next frame before it fails. */
    public static final Duration NEXT = Duration.ofSeconds(5);
    /** Frames per test chunk: 10 ms at 16 kHz, far inside any retention. */
    public static final int FRAMES = 160;

    /** The roles of protocol version 1 (version 2 adds the publisher, which needs a version-2 HELLO). */
    public static final List<Role> V1_ROLES = List.of(Role.RECORDER, Role.PROCESSOR);

    private Wire() {
    }

    /** A raw publisher of result stream {@code stream} on {@code port} (a version-2 HELLO, role 3), past its WELCOME. */
    public static RawClient publisher(int port, String stream) throws IOException {
        RawClient c = new RawClient(port);
        c.send(hello(Role.PUBLISHER, stream, ThreadLocalRandom.current().nextLong()).withVersion(2));
        assertThat(next(c)).as("WELCOME to publisher of %s", stream).isInstanceOf(Welcome.class);
        return c;
    }

    /** A JSON record of {@code stream}: seq, an event 10 ms per seq after a fixed epoch, naming its seq. */
    public static ResultRecord record(String stream, long seq) {
        return ResultRecord.json(stream, seq, 1_700_000_000_000_000_000L + seq * 10_000_000L, 0,
                "{\"event\":\"e" + seq + "\"}");
    }

    /** The RECORD frame of {@link #record}, encoded. */
    public static byte[] recordFrame(String stream, long seq) {
        return RawClient.encode(new RecordMessage(record(stream, seq)));
    }

    /** An AUDIO or GAP item as a processor received it: {@code seq} is the chunk's, or a gap's first, {@code to} its last. */
    public record Item(String stream, long seq, long to, boolean gap, int flags, String reason) {
        /** An AUDIO item of {@code stream}, {@code seq}. */
        public static Item audio(String stream, long seq) {
            return new Item(stream, seq, seq, false, 0, null);
        }

        /** A GAP item of {@code stream}, {@code from..to}, for {@code reason}. */
        public static Item gap(String stream, long from, long to, String reason) {
            return new Item(stream, from, to, true, 0, reason);
        }

        @Override
        public String toString() {
            return gap ? "GAP " + stream + " " + seq + ".." + to + " " + reason : "AUDIO " + stream + " " + seq
                    + (flags != 0 ? " flags " + flags : "");
        }
    }

    /** Deterministic samples for (stream, seq), {@link #FRAMES} frames. */
    public static byte[] samples(String stream, long seq) {
        return samples(stream, seq, FRAMES);
    }

    /** Deterministic samples for (stream, seq), {@code frames} frames of mono PCM16. */
    public static byte[] samples(String stream, long seq, int frames) {
        byte[] data = new byte[frames * 2];
        int base = (int) (seq * 31 + stream.hashCode());
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (base + i * 7);
        }
        return data;
    }

    /** Chunk {@code seq} of {@code stream}: 10 ms of 16 kHz mono PCM16. */
    public static AudioChunk chunk(String stream, long seq) {
        return chunk(stream, seq, FRAMES);
    }

    /** Chunk {@code seq} of {@code stream}: {@code frames} frames of 16 kHz mono PCM16 (320 frames = 20 ms). */
    public static AudioChunk chunk(String stream, long seq, int frames) {
        return new AudioChunk(stream, seq, 1_700_000_000_000_000_000L + seq * frames * 62_500L, 16_000, 1,
                SampleFormat.PCM_S16LE, samples(stream, seq, frames));
    }

    /** The AUDIO frame of chunk {@code seq} of {@code stream}, encoded. */
    public static byte[] audio(String stream, long seq) {
        return RawClient.encode(new AudioMessage(chunk(stream, seq), 0));
    }

    /** The AUDIO frame of chunk {@code seq} of {@code stream} with {@code frames} frames, encoded. */
    public static byte[] audio(String stream, long seq, int frames) {
        return RawClient.encode(new AudioMessage(chunk(stream, seq, frames), 0));
    }

    /** A bare 8-byte frame header: magic "AS", then {@code version}, {@code type} and {@code length} as given. */
    public static byte[] header(int version, int type, long length) {
        return new byte[] {0x41, 0x53, (byte) version, (byte) type, (byte) (length >>> 24), (byte) (length >>> 16),
                (byte) (length >>> 8), (byte) length};
    }

    /** {@code frame} with one byte more in its payload than its layout has, and its length raised to match. */
    public static byte[] withTrailingByte(byte[] frame) {
        byte[] out = Arrays.copyOf(frame, frame.length + 1);
        long length = (out.length - 8) & 0xFFFFFFFFL;
        System.arraycopy(header(out[2], out[3], length), 4, out, 4, 4);
        return out;
    }

    /** A HELLO of {@code role} for {@code name}: window 64, RESUME, every stream, no positions, no token. */
    public static Hello hello(Role role, String name, long instanceId) {
        return new Hello(role.code(), name, instanceId, "", 64, StartPosition.RESUME, List.of(), Map.of());
    }

    /** Encoded frames (byte arrays or messages) back to back, to be sent in one write: one read batch for the mailman. */
    public static byte[] batch(Object... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object f : frames) {
            out.writeBytes(f instanceof Message m ? RawClient.encode(m) : (byte[]) f);
        }
        return out.toByteArray();
    }

    /** The next frame that is not a heartbeat (PINGs are answered); fails after {@link #NEXT}. */
    public static Message next(RawClient c) throws IOException {
        return c.readSkippingHeartbeats(NEXT);
    }

    /** A raw recorder of {@code stream} on {@code port} (protocol version 1, window 64), past its WELCOME. */
    public static RawClient recorder(int port, String stream) throws IOException {
        return recorder(port, stream, 1, 64);
    }

    /**
     * A raw recorder of {@code stream} on {@code port} whose HELLO has the given protocol version and window,
     * past its WELCOME (version 3: its ACKs may be held back, PROTOCOL.md §5.2).
     */
    public static RawClient recorder(int port, String stream, int version, int window) throws IOException {
        RawClient c = new RawClient(port);
        c.send(new Hello(Role.RECORDER.code(), stream, ThreadLocalRandom.current().nextLong(), "", window, StartPosition.RESUME,
                List.of(), Map.of(), version));
        assertThat(next(c)).as("WELCOME to recorder of %s", stream).isInstanceOf(Welcome.class);
        return c;
    }

    /** A raw processor on {@code port} with window 64, past its WELCOME (the mailman has placed its cursors). */
    public static RawClient processor(int port, String name, StartPosition start, String... streams) throws IOException {
        return processor(port, name, start, 64, Map.of(), streams);
    }

    /** A raw processor with the given window and HELLO positions, past its WELCOME. */
    public static RawClient processor(int port, String name, StartPosition start, int window, Map<String, Long> positions,
                                      String... streams) throws IOException {
        RawClient c = new RawClient(port);
        c.send(new Hello(Role.PROCESSOR.code(), name, ThreadLocalRandom.current().nextLong(), "", window, start,
                List.of(streams), positions));
        assertThat(next(c)).as("WELCOME to processor %s", name).isInstanceOf(Welcome.class);
        return c;
    }

    /**
     * Asserts that the next frame (heartbeats aside) is an ERROR with {@code code} and that the
     * mailman then closes the connection; returns the ERROR.
     */
    public static ErrorMessage expectError(RawClient c, ErrorCode code) throws IOException {
        Message m = next(c);
        assertThat(m).as("ERROR %s", code).isInstanceOfSatisfying(ErrorMessage.class, e -> assertThat(e.code()).isEqualTo(code));
        assertThat(c.closedByPeer()).as("the mailman closes after ERROR %s", code).isTrue();
        return (ErrorMessage) m;
    }

    /**
     * Asserts that the mailman has nothing more for {@code c} at this point: a PING sent now is
     * answered by a PONG with its nonce before any other frame. The mailman handles one
     * connection's frames in order, so whatever its earlier frames made it send comes first.
     */
    public static void expectNothingMore(RawClient c) throws IOException {
        long nonce = ThreadLocalRandom.current().nextLong();
        c.send(new Ping(nonce));
        while (true) {
            Message m = c.read();
            if (m instanceof Ping p) {
                c.send(new Pong(p.nonce())); // the mailman's own heartbeat
                continue;
            }
            assertThat(m).as("nothing before the PONG").isEqualTo(new Pong(nonce));
            return;
        }
    }

    /** The next frame, which must be AUDIO, exactly as its bytes arrived, header included. */
    public static byte[] nextAudioBytes(RawClient c) throws IOException {
        Message m = next(c);
        assertThat(m).as("AUDIO").isInstanceOf(AudioFrame.class);
        AudioFrame f = (AudioFrame) m;
        try {
            return ByteBufUtil.getBytes(f.content());
        } finally {
            f.release();
        }
    }

    /** Sends chunks {@code from..to} of the recorder's stream and waits until the mailman acknowledges {@code to}. */
    public static void produce(RawClient recorder, String stream, long from, long to) throws IOException {
        produce(recorder, stream, from, to, FRAMES);
    }

    /** Sends chunks {@code from..to} of {@code frames} frames each and waits until the mailman acknowledges {@code to}. */
    public static void produce(RawClient recorder, String stream, long from, long to, int frames) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            recorder.send(audio(stream, seq, frames));
        }
        awaitAck(recorder, to);
    }

    /** Reads until an ACK covering {@code seq} arrives; anything else first fails. */
    public static void awaitAck(RawClient recorder, long seq) throws IOException {
        while (true) {
            Message m = next(recorder);
            assertThat(m).as("ACK from the mailman").isInstanceOf(Ack.class);
            if (((Ack) m).seq() >= seq) {
                return;
            }
        }
    }

    /** The next {@code n} AUDIO or GAP items; anything else fails. AUDIO bytes are checked against {@link #samples}. */
    public static List<Item> items(RawClient c, int n) throws IOException {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = next(c);
            if (m instanceof AudioFrame f) {
                try {
                    assertThat(f.toChunk().data()).as("bytes of %s %d", f.stream(), f.seq())
                            .isEqualTo(samples(f.stream(), f.seq(), f.frames()));
                    out.add(new Item(f.stream(), f.seq(), f.seq(), false, f.flags(), null));
                } finally {
                    f.release();
                }
            } else if (m instanceof GapFrame gFrame) {
                Gap g = gFrame.gap();
                out.add(new Item(g.stream(), g.fromSeq(), g.toSeq(), true, 0, g.reason().name()));
            } else {
                throw new AssertionError("item " + i + " of " + n + " is " + m + " (received so far: " + out + ")");
            }
        }
        return out;
    }

    /** AUDIO items of {@code stream}, {@code from..to}. */
    public static List<Item> audioItems(String stream, long from, long to) {
        List<Item> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(Item.audio(stream, s));
        }
        return out;
    }
}
