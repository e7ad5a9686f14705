package io.audiosockets.internal.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One way of damaging an encoded frame, and what the decoder must then do. Each kind is a record,
 * so jqwik reports a failing case readably and can shrink it. Positions are taken modulo the
 * frame's length, so one mutation applies to a frame of any size.
 */
sealed interface FrameMutation {
    /** Offset of the u32 payload length in the header. */
    int LENGTH_AT = 4;

    /** What the decoder must do with the mutated bytes, beyond "never anything but a ProtocolException". */
    enum Expect {
        /** Decode to valid frames, ask for more, or refuse with a ProtocolException: any of the three. */
        ANY,
        /** Ask for more bytes (return null, consuming nothing): a strict prefix of a frame is not an error. */
        INCOMPLETE,
        /** Refuse with {@link CorruptFrameException} (MALFORMED_FRAME). */
        CORRUPT,
        /** Refuse with {@link FrameTooLongException} (FRAME_TOO_LARGE), on the header alone. */
        TOO_LONG,
        /** Refuse with UNSUPPORTED_VERSION. */
        BAD_VERSION,
        /** Give the original frame first; what follows it may be anything. */
        ORIGINAL_FIRST
    }

    /** The mutated bytes; {@code frame} is not modified. */
    byte[] apply(byte[] frame);

    /** What decoding {@link #apply the result} with {@code maxPayloadBytes} must give. */
    Expect expect(byte[] frame, int maxPayloadBytes);

    /** Flips {@code bits}: pairs of (position, bit 0..7). */
    record BitFlips(List<Integer> positions, List<Integer> bits) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            byte[] out = frame.clone();
            for (int i = 0; i < positions.size(); i++) {
                int at = positions.get(i) % out.length;
                out[at] ^= (byte) (1 << bits.get(i));
            }
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return Expect.ANY;
        }
    }

    /** Overwrites bytes: pairs of (position, value). */
    record Replacements(List<Integer> positions, List<Integer> values) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            byte[] out = frame.clone();
            for (int i = 0; i < positions.size(); i++) {
                out[positions.get(i) % out.length] = values.get(i).byteValue();
            }
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return Expect.ANY;
        }
    }

    /** Cuts the frame short, its header unchanged: what a receiver holds while the rest is in flight. */
    record Truncation(int keep) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            return Arrays.copyOf(frame, keep % frame.length);
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return Expect.INCOMPLETE;
        }
    }

    /** Cuts the payload short and sets the length field to match: a whole frame whose last fields are missing. */
    record PayloadTruncation(int keep) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            int payload = keep % (frame.length - FrameCodec.HEADER_BYTES);
            byte[] out = Arrays.copyOf(frame, FrameCodec.HEADER_BYTES + payload);
            ByteBuffer.wrap(out).putInt(LENGTH_AT, payload);
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return Expect.ANY;
        }
    }

    /** Appends bytes after the frame, outside it: the next frame's beginning, or garbage. */
    record Trailing(byte[] extra) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            byte[] out = Arrays.copyOf(frame, frame.length + extra.length);
            System.arraycopy(extra, 0, out, frame.length, extra.length);
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return Expect.ORIGINAL_FIRST;
        }

        @Override
        public String toString() {
            return "Trailing[" + HexFormat.of().formatHex(extra) + "]";
        }
    }

    /**
     * Appends bytes inside the payload and counts them in the length: every frame type refuses
     * leftover bytes, except RECORD, whose data is the rest of the payload (it then carries more).
     */
    record PayloadExtension(byte[] extra) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            byte[] out = new Trailing(extra).apply(frame);
            ByteBuffer.wrap(out).putInt(LENGTH_AT, out.length - FrameCodec.HEADER_BYTES);
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return frame[3] == FrameType.RECORD.code() ? Expect.ANY : Expect.CORRUPT;
        }

        @Override
        public String toString() {
            return "PayloadExtension[" + HexFormat.of().formatHex(extra) + "]";
        }
    }

    /** Sets the length field to {@code value} (a u32; -1 for the maximum payload, -2 for one more). */
    record LengthField(long value) implements FrameMutation {
        static final long MAX = -1;
        static final long MAX_PLUS_ONE = -2;

        long resolve(int max) {
            return value == MAX ? max : value == MAX_PLUS_ONE ? max + 1L : value;
        }

        @Override
        public byte[] apply(byte[] frame) {
            throw new UnsupportedOperationException("needs the maximum: use apply(frame, max)");
        }

        byte[] apply(byte[] frame, int max) {
            byte[] out = frame.clone();
            ByteBuffer.wrap(out).putInt(LENGTH_AT, (int) resolve(max));
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            long length = resolve(max);
            if (length > max) {
                return Expect.TOO_LONG;
            }
            if (length > frame.length - FrameCodec.HEADER_BYTES) {
                return Expect.INCOMPLETE;
            }
            // No frame type has an empty payload: even PING needs its 8-byte nonce.
            return length == 0 ? Expect.CORRUPT : Expect.ANY;
        }
    }

    /** Sets the type byte. An unassigned code is refused (unless the length is refused first, which it is not here). */
    record TypeCode(int code) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            byte[] out = frame.clone();
            out[3] = (byte) code;
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return FrameType.fromCode(code) == null ? Expect.CORRUPT : Expect.ANY;
        }
    }

    /** Sets the version byte to one this implementation does not speak (not 1..{@link FrameCodec#VERSION}). */
    record Version(int version) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            byte[] out = frame.clone();
            out[2] = (byte) version;
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return Expect.BAD_VERSION;
        }
    }

    /** Keeps the header's magic, version and type, and replaces the payload by random bytes, the length matching. */
    record RandomPayload(byte[] payload) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            byte[] out = Arrays.copyOf(frame, FrameCodec.HEADER_BYTES + payload.length);
            ByteBuffer.wrap(out).putInt(LENGTH_AT, payload.length);
            System.arraycopy(payload, 0, out, FrameCodec.HEADER_BYTES, payload.length);
            return out;
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return payload.length == 0 ? Expect.CORRUPT : Expect.ANY;
        }

        @Override
        public String toString() {
            return "RandomPayload[" + HexFormat.of().formatHex(payload) + "]";
        }
    }

    /** Replaces the whole frame by random bytes. */
    record RandomBytes(byte[] bytes) implements FrameMutation {
        @Override
        public byte[] apply(byte[] frame) {
            return bytes.clone();
        }

        @Override
        public Expect expect(byte[] frame, int max) {
            return Expect.ANY;
        }

        @Override
        public String toString() {
            return "RandomBytes[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /** The mutated bytes, for the kinds that need the decoder's maximum. */
    static byte[] applyWith(FrameMutation m, byte[] frame, int max) {
        return m instanceof LengthField l ? l.apply(frame, max) : m.apply(frame);
    }

    /** Every kind of mutation, with positions biased towards the header and the first fields, where the counts are. */
    static Arbitrary<FrameMutation> any() {
        Arbitrary<Integer> position = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(0, FrameCodec.HEADER_BYTES - 1)),
                Tuple.of(3, Arbitraries.integers().between(FrameCodec.HEADER_BYTES, 48)),
                Tuple.of(3, Arbitraries.integers().greaterOrEqual(0)));
        Arbitrary<Integer> value = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE)),
                Tuple.of(2, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> someBytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
        Arbitrary<Long> length = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(0L, LengthField.MAX, LengthField.MAX_PLUS_ONE, 0xFFFF_FFFFL, 0x8000_0000L, 0x7FFF_FFFFL)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFF_FFFFL)),
                Tuple.of(1, Arbitraries.longs().between(0, 128)));
        return Arbitraries.oneOf(List.of(
                Combinators.combine(position.list().ofMinSize(1).ofMaxSize(8), Arbitraries.integers().between(0, 7).list().ofSize(8))
                        .as(BitFlips::new),
                Combinators.combine(position.list().ofMinSize(1).ofMaxSize(8), value.list().ofSize(8)).as(Replacements::new),
                Arbitraries.integers().greaterOrEqual(0).map(Truncation::new),
                Arbitraries.integers().greaterOrEqual(0).map(PayloadTruncation::new),
                someBytes.map(Trailing::new),
                someBytes.map(PayloadExtension::new),
                length.map(LengthField::new),
                Arbitraries.integers().between(0, 255).map(TypeCode::new),
                Arbitraries.integers().between(0, 255).filter(v -> v < 1 || v > FrameCodec.VERSION).map(Version::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(96).map(RandomPayload::new),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(96).map(RandomBytes::new)));
    }
}
