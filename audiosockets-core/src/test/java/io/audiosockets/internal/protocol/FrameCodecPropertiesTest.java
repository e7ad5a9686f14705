package io.audiosockets.internal.protocol;

import io.audiosockets.internal.audio.ChunkBytes;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.StartPosition;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.Decoding.End;
import io.audiosockets.internal.protocol.Decoding.Outcome;
import io.audiosockets.internal.protocol.FrameMutation.Expect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based tests of {@link FrameCodec} (jqwik): every valid frame round-trips, and every
 * mutation of a valid frame (bit flips, byte replacements, truncations, extensions, length fields
 * set to extremes, random payloads) either decodes to valid frames, asks for more bytes, or is
 * refused with a {@link ProtocolException}: never another exception, and never an allocation of
 * what a frame claims. {@link Decoding} runs the decoder on a read-only buffer of fixed capacity
 * and counts the bytes allocated on the decoding thread.
 *
 * <p>Tries are kept low enough for the whole class to run in a few seconds in the suite. jqwik
 * draws new cases on every run, so the suite keeps exploring; a failing case is replayed first
 * on the next run (from {@code target/jqwik-database}). For a longer hunt, raise the
 * {@code tries} of a property locally. The campaign against a live mailman
 * ({@code audiosockets fuzz}) sends millions of mutated frames the same way.
 */
class FrameCodecPropertiesTest {
    /** The decoder's maximum for round trips and mutations: above the largest generated frame. */
    private static final int MAX = 1 << 20;
    /** The largest maximum the configuration allows (MAX_FRAME_BYTES up to 2^30): the worst case for a claimed length. */
    private static final int LARGEST_MAX = 1 << 30;
    /**
     * Allocation allowed for one run of decodes: a fixed part for exception messages and
     * collections, plus a few times the input (a string field becomes a String of about its
     * size). A decoder that allocated what a header or a count claims would exceed it by far.
     */
    private static final long FIXED_ALLOCATION = 64 * 1024;
    private static final int ALLOCATION_PER_INPUT_BYTE = 8;

    @Provide
    Arbitrary<Message> anyMessage() {
        return FrameArbitraries.anyMessage();
    }

    @Provide
    Arbitrary<Message> smallMessage() {
        return FrameArbitraries.smallMessage();
    }

    @Provide
    Arbitrary<FrameMutation> mutation() {
        return FrameMutation.any();
    }

    // ---------------------------------------------------------------- round trips

    @Property(tries = 400)
    void everyValidFrameRoundTrips(@ForAll("anyMessage") Message message) {
        byte[] frame = Decoding.encode(message);
        assertThat(ByteBuffer.wrap(frame).getInt(FrameMutation.LENGTH_AT)).as("length field")
                .isEqualTo(frame.length - FrameCodec.HEADER_BYTES);
        Outcome out = Decoding.decodeOnce(frame, MAX);
        assertThat(out.end()).as("how decoding ended (error: %s)", out.error()).isEqualTo(End.CONSUMED);
        assertThat(out.messages()).containsExactly(message);
    }

    @Property(tries = 150)
    void everyStrictPrefixOfAValidFrameAsksForMore(@ForAll("smallMessage") Message message) {
        byte[] frame = Decoding.encode(message);
        // Every length, not a sample of them: the cut can fall in any field. One buffer whose writer
        // index moves, rather than a copy per length, keeps a 500 KiB frame linear.
        ByteBuf in = Unpooled.wrappedBuffer(frame).asReadOnly();
        try {
            for (int keep = 1; keep < frame.length; keep++) {
                in.setIndex(0, keep);
                Message m;
                try {
                    m = FrameCodec.decode(in, MAX);
                } catch (ProtocolException e) {
                    throw new AssertionError("the first " + keep + " of " + frame.length + " bytes of " + message + " were refused", e);
                }
                assertThat(m).as("decoding the first %d of %d bytes of %s", keep, frame.length, message).isNull();
                assertThat(in.readerIndex()).as("bytes consumed from an incomplete frame").isZero();
            }
        } finally {
            in.release();
        }
    }

    // ---------------------------------------------------------------- mutations

    @Property(tries = 2000)
    void everyMutationIsDecodedOrRefusedWithAProtocolError(@ForAll("smallMessage") Message message,
                                                           @ForAll("mutation") FrameMutation mutation) {
        byte[] frame = Decoding.encode(message);
        byte[] mutated = FrameMutation.applyWith(mutation, frame, MAX);
        Outcome out = Decoding.decodeAll(mutated, MAX);

        for (Message m : out.messages()) {
            assertValid(m);
        }
        assertThat(out.allocatedBytes()).as("bytes allocated decoding %d bytes", mutated.length)
                .isLessThanOrEqualTo(FIXED_ALLOCATION + ALLOCATION_PER_INPUT_BYTE * (long) mutated.length);
        Expect expect = mutation.expect(frame, MAX);
        switch (expect) {
            case ANY -> { }
            case INCOMPLETE -> {
                assertThat(out.messages()).isEmpty();
                // An empty input (a cut at 0) is simply consumed; any other strict prefix waits for more.
                assertThat(out.end()).isEqualTo(mutated.length == 0 ? End.CONSUMED : End.INCOMPLETE);
            }
            case CORRUPT -> assertRefused(out, ErrorCode.MALFORMED_FRAME, CorruptFrameException.class);
            case TOO_LONG -> assertRefused(out, ErrorCode.FRAME_TOO_LARGE, FrameTooLongException.class);
            case BAD_VERSION -> assertRefused(out, ErrorCode.UNSUPPORTED_VERSION, ProtocolException.class);
            case ORIGINAL_FIRST -> assertThat(out.messages()).as("what decodes first").first().isEqualTo(message);
            default -> throw new AssertionError(expect);
        }
    }

    @Property(tries = 500)
    void aRefusedPayloadIsSkippedExactlyAndTheNextFrameDecodes(@ForAll("smallMessage") Message message,
                                                               @ForAll @IntRange(min = 0, max = 1 << 20) int position,
                                                               @ForAll @IntRange(min = 0, max = 255) int value,
                                                               @ForAll long nonce) {
        // Damage one payload byte, header intact: the decoder knows where the frame ends, so a refusal
        // consumes exactly that frame (PROTOCOL.md §2) and a receiver could go on with the next one.
        byte[] frame = Decoding.encode(message);
        Assume.that(frame.length > FrameCodec.HEADER_BYTES);
        frame[FrameCodec.HEADER_BYTES + position % (frame.length - FrameCodec.HEADER_BYTES)] = (byte) value;
        byte[] next = Decoding.encode(new Ping(nonce));
        byte[] both = Arrays.copyOf(frame, frame.length + next.length);
        System.arraycopy(next, 0, both, frame.length, next.length);

        ByteBuf in = Unpooled.wrappedBuffer(both);
        try {
            Message first;
            try {
                first = FrameCodec.decode(in, MAX);
            } catch (ProtocolException e) {
                first = null;
            }
            if (first instanceof StreamFrame f) {
                f.release();
            }
            assertThat(in.readerIndex()).as("bytes consumed by the damaged frame").isEqualTo(frame.length);
            assertThat(FrameCodec.decode(in, MAX)).as("the frame after it").isEqualTo(new Ping(nonce));
        } finally {
            in.release();
        }
    }

    // ---------------------------------------------------------------- allocation

    @Provide
    Arbitrary<Long> claimedLength() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of((long) LARGEST_MAX, LARGEST_MAX - 1L, LARGEST_MAX + 1L, 0xFFFF_FFFFL, 0x8000_0000L)),
                Tuple.of(2, Arbitraries.longs().between(1 << 20, LARGEST_MAX)),
                Tuple.of(1, Arbitraries.longs().between(LARGEST_MAX + 1L, 0xFFFF_FFFFL)));
    }

    @Property(tries = 500)
    void aClaimedLengthIsNeverAllocated(@ForAll @IntRange(min = 0, max = 255) int type,
                                        @ForAll("claimedLength") long claimed,
                                        @ForAll @Size(max = 64) byte[] present) {
        // A header that claims up to a GiB (or 4 GiB), followed by a handful of bytes: the decoder must wait
        // for the rest or refuse at once, with memory that does not grow with the claim.
        byte[] bytes = new byte[FrameCodec.HEADER_BYTES + present.length];
        ByteBuffer.wrap(bytes).putShort((short) FrameCodec.MAGIC).put((byte) FrameCodec.VERSION).put((byte) type).putInt((int) claimed)
                .put(present);
        Outcome out = Decoding.decodeAll(bytes, LARGEST_MAX);
        assertThat(out.messages()).isEmpty();
        if (claimed > LARGEST_MAX) {
            assertRefused(out, ErrorCode.FRAME_TOO_LARGE, FrameTooLongException.class);
        } else if (FrameType.fromCode(type) == null) {
            assertRefused(out, ErrorCode.MALFORMED_FRAME, CorruptFrameException.class);
        } else {
            assertThat(out.end()).isEqualTo(End.INCOMPLETE);
        }
        assertThat(out.allocatedBytes()).as("bytes allocated for a header claiming %d bytes", claimed)
                .isLessThanOrEqualTo(FIXED_ALLOCATION).isLessThan(claimed / 64);
    }

    @Property(tries = 300)
    void countFieldsThatClaimMoreThanThePayloadAreNeverAllocated(@ForAll @IntRange(min = 0, max = 0xFFFF) int subscriptions,
                                                                 @ForAll @IntRange(min = 0, max = 0xFFFF) int channels,
                                                                 @ForAll long frames,
                                                                 @ForAll @Size(max = 64) byte[] rest) {
        // HELLO's subscription count and AUDIO's frames x channels are counts inside the payload: the
        // decoder must compare them with the bytes present before making room for them.
        byte[] hello = Decoding.encode(new Hello(2, "p", 1, "", 1, StartPosition.RESUME, List.of(), Map.of()));
        int countAt = hello.length - 4;
        ByteBuffer.wrap(hello).putShort(countAt, (short) subscriptions);
        byte[] helloWithRest = withPayload(hello, rest);

        byte[] audio = Decoding.encode(new AudioMessage(ChunkBytes.wrap("s", 0, 0, 16_000, 1, SampleFormat.FLOAT32LE, new byte[0])));
        int channelsAt = FrameCodec.HEADER_BYTES + 2 + 1 + 8 + 8 + 4;
        ByteBuffer.wrap(audio).putShort(channelsAt, (short) channels).putInt(channelsAt + 4, (int) frames);
        byte[] audioWithRest = withPayload(audio, rest);

        for (byte[] bytes : new byte[][] {helloWithRest, audioWithRest}) {
            Outcome out = Decoding.decodeAll(bytes, MAX);
            for (Message m : out.messages()) {
                assertValid(m);
            }
            assertThat(out.end()).as("error: %s", out.error()).isIn(End.CONSUMED, End.REFUSED);
            assertThat(out.allocatedBytes()).as("bytes allocated decoding %d bytes", bytes.length)
                    .isLessThanOrEqualTo(FIXED_ALLOCATION + ALLOCATION_PER_INPUT_BYTE * (long) bytes.length);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** {@code frame} with {@code extra} appended inside its payload, the length field counting it. */
    private static byte[] withPayload(byte[] frame, byte[] extra) {
        return new FrameMutation.PayloadExtension(extra).apply(frame);
    }

    /** A decoded message is a valid one: it encodes, and the bytes decode to the same message. */
    static void assertValid(Message m) {
        byte[] again = Decoding.encode(m);
        Outcome out = Decoding.decodeOnce(again, Integer.MAX_VALUE);
        assertThat(out.end()).as("re-decoding %s (error: %s)", m, out.error()).isEqualTo(End.CONSUMED);
        assertThat(out.messages()).containsExactly(m);
    }

    private static void assertRefused(Outcome out, ErrorCode code, Class<? extends ProtocolException> type) {
        assertThat(out.messages()).as("frames decoded before the refusal").isEmpty();
        assertThat(out.end()).as("how decoding ended").isEqualTo(End.REFUSED);
        assertThat(out.error()).isInstanceOf(type);
        assertThat(out.error().code()).isEqualTo(code);
    }
}
