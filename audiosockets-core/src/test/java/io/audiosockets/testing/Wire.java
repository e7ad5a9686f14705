package io.audiosockets.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.protocol.Ack;
import io.audiosockets.protocol.AudioFrame;
import io.audiosockets.protocol.AudioMessage;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.Hello;
import io.audiosockets.protocol.Message;
import io.audiosockets.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.protocol.Welcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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

    private Wire() {
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

    /** Deterministic samples for (stream, seq). */
    public static byte[] samples(String stream, long seq) {
        byte[] data = new byte[FRAMES * 2];
        int base = (int) (seq * 31 + stream.hashCode());
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (base + i * 7);
        }
        return data;
    }

    /** Chunk {@code seq} of {@code stream}: 10 ms of 16 kHz mono PCM16. */
    public static AudioChunk chunk(String stream, long seq) {
        return new AudioChunk(stream, seq, 1_700_000_000_000_000_000L + seq * 10_000_000L, 16_000, 1,
                SampleFormat.PCM_S16LE, samples(stream, seq));
    }

    /** The AUDIO frame of chunk {@code seq} of {@code stream}, encoded. */
    public static byte[] audio(String stream, long seq) {
        return RawClient.encode(new AudioMessage(chunk(stream, seq), 0));
    }

    /** The next frame that is not a heartbeat (PINGs are answered); fails after {@link #NEXT}. */
    public static Message next(RawClient c) throws IOException {
        return c.readSkippingHeartbeats(NEXT);
    }

    /** A raw recorder of {@code stream} on {@code port}, past its WELCOME. */
    public static RawClient recorder(int port, String stream) throws IOException {
        RawClient c = new RawClient(port);
        c.send(new Hello(Role.RECORDER.code(), stream, ThreadLocalRandom.current().nextLong(), "", 64, StartPosition.RESUME,
                List.of(), Map.of()));
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

    /** Sends chunks {@code from..to} of the recorder's stream and waits until the mailman acknowledges {@code to}. */
    public static void produce(RawClient recorder, String stream, long from, long to) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            recorder.send(audio(stream, seq));
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
                    assertThat(f.toChunk().data()).as("bytes of %s %d", f.stream(), f.seq()).isEqualTo(samples(f.stream(), f.seq()));
                    out.add(new Item(f.stream(), f.seq(), f.seq(), false, f.flags(), null));
                } finally {
                    f.release();
                }
            } else if (m instanceof Gap g) {
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
