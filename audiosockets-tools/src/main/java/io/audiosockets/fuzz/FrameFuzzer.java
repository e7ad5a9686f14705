package io.audiosockets.fuzz;

import io.audiosockets.internal.audio.ChunkBytes;
import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.FrameCodec;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes the frames of the fuzz campaign from a seeded random source: valid frames of every type
 * and, from them, mutated ones (bit flips, byte replacements, truncations, extensions, length
 * fields at their extremes, foreign type and version bytes, random payloads) and plain random
 * bytes. The same seed gives the same frames. Not thread-safe: one per worker.
 */
final class FrameFuzzer {
    private final SplittableRandom random;
    private final int maxFrameBytes;

    /**
     * @param seed the random seed
     * @param maxFrameBytes the mailman's MAX_FRAME_BYTES, so length mutations hit it, and one past it, exactly
     */
    FrameFuzzer(long seed, int maxFrameBytes) {
        this.random = new SplittableRandom(seed);
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The random source, for the worker's own choices. */
    SplittableRandom random() {
        return random;
    }

    /** The bytes of {@code m}. */
    static byte[] encode(Message m) {
        ByteBuf b = Unpooled.buffer(FrameCodec.estimateSize(m));
        try {
            FrameCodec.encode(m, b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** A valid HELLO for {@code role} and {@code name}, with random options a real client could send. */
    byte[] hello(Role role, String name, List<String> subscriptions) {
        StartPosition start = switch (random.nextInt(4)) {
            case 0 -> StartPosition.RESUME;
            case 1 -> StartPosition.LIVE;
            case 2 -> StartPosition.OLDEST;
            default -> StartPosition.secondsBack(Duration.ofMillis(random.nextInt(5000)));
        };
        return encode(new Hello(role.code(), name, random.nextLong(), "", 1 + random.nextInt(128), start, subscriptions, Map.of()));
    }

    /** A valid, small AUDIO frame of {@code stream}: 1 to 32 frames of 1 or 2 channels, either sample format. */
    byte[] audio(String stream, long seq) {
        SampleFormat format = random.nextBoolean() ? SampleFormat.PCM_S16LE : SampleFormat.FLOAT32LE;
        int channels = 1 + random.nextInt(2);
        byte[] data = new byte[(1 + random.nextInt(32)) * channels * format.bytesPerSample()];
        random.nextBytes(data);
        // A WELCOME after a mutated seq near the top may leave nothing valid above it: a seq that overflowed goes back to 0 (a duplicate).
        return encode(new AudioMessage(ChunkBytes.wrap(stream, Math.max(0, seq), System.nanoTime(), 16_000, channels, format, data)));
    }

    /** A valid frame of any type, about {@code stream}, the raw material of a mutation. */
    byte[] anyValid(String stream) {
        long seq = random.nextInt(1 << 20);
        return switch (random.nextInt(11)) {
            case 0 -> hello(random.nextBoolean() ? Role.RECORDER : Role.PROCESSOR, stream, random.nextBoolean() ? List.of() : List.of(stream));
            case 1 -> encode(new Welcome("fuzz", random.nextLong(), 1 + random.nextInt(Integer.MAX_VALUE), random.nextInt(10_000), -1));
            case 2 -> encode(new ErrorMessage(ErrorCode.values()[random.nextInt(ErrorCode.values().length)], "fuzz"));
            case 3 -> audio(stream, seq);
            case 4 -> encode(new Ack(stream, seq));
            case 5 -> encode(new GapFrame(new Gap(stream, seq, seq + random.nextInt(10), GapReason.values()[random.nextInt(GapReason.values().length)], "fuzz")));
            case 6 -> encode(new Bye(random.nextBoolean() ? "DISCONNECT" : "fuzz"));
            case 7 -> encode(new Ping(random.nextLong()));
            case 8 -> encode(new Pong(random.nextLong()));
            case 9 -> encode(new ReplayRequest(stream, seq, seq + random.nextInt(10)));
            default -> encode(new ReplayAnswer(stream, seq, random.nextInt(3)));
        };
    }

    /** Random bytes, 1 to 96 of them; a quarter of the time they start with the magic, so they get past the first check. */
    byte[] randomBytes() {
        byte[] b = new byte[1 + random.nextInt(96)];
        random.nextBytes(b);
        if (random.nextInt(4) == 0 && b.length >= 2) {
            b[0] = 0x41;
            b[1] = 0x53;
        }
        return b;
    }

    /**
     * {@code frame} damaged in one random way (a copy). Cuts that leave the mailman waiting for
     * bytes that never come (a frame cut short, a length beyond what follows) are rarer than the
     * rest: they cost the campaign a read timeout each.
     */
    byte[] mutate(byte[] frame) {
        int kind = random.nextInt(100);
        if (kind < 25) {
            return flipBits(frame);
        } else if (kind < 45) {
            return replaceBytes(frame);
        } else if (kind < 55) {
            return truncateFixingLength(frame);
        } else if (kind < 63) {
            return extendFixingLength(frame);
        } else if (kind < 73) {
            return withLength(frame, extremeLength(frame));
        } else if (kind < 79) {
            return withByte(frame, 3, random.nextInt(256));
        } else if (kind < 83) {
            return withByte(frame, 2, 2 + random.nextInt(254));
        } else if (kind < 93) {
            return randomPayload(frame);
        } else if (kind < 97) {
            return Arrays.copyOf(frame, random.nextInt(frame.length));
        } else {
            return randomBytes();
        }
    }

    private byte[] flipBits(byte[] frame) {
        byte[] out = frame.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            out[position(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private byte[] replaceBytes(byte[] frame) {
        byte[] out = frame.clone();
        int[] special = {0x00, 0xFF, 0x7F, 0x80, 0x01};
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            out[position(out.length)] = (byte) (random.nextBoolean() ? special[random.nextInt(special.length)] : random.nextInt(256));
        }
        return out;
    }

    /** Half the time in the header and the first payload fields (where the lengths and counts are), else anywhere. */
    private int position(int length) {
        return random.nextBoolean() ? random.nextInt(Math.min(length, 48)) : random.nextInt(length);
    }

    private byte[] truncateFixingLength(byte[] frame) {
        int payload = random.nextInt(frame.length - FrameCodec.HEADER_BYTES);
        byte[] out = Arrays.copyOf(frame, FrameCodec.HEADER_BYTES + payload);
        ByteBuffer.wrap(out).putInt(4, payload);
        return out;
    }

    private byte[] extendFixingLength(byte[] frame) {
        byte[] extra = new byte[1 + random.nextInt(32)];
        random.nextBytes(extra);
        byte[] out = Arrays.copyOf(frame, frame.length + extra.length);
        System.arraycopy(extra, 0, out, frame.length, extra.length);
        ByteBuffer.wrap(out).putInt(4, out.length - FrameCodec.HEADER_BYTES);
        return out;
    }

    private long extremeLength(byte[] frame) {
        return switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> maxFrameBytes;
            case 2 -> maxFrameBytes + 1L;
            case 3 -> 0xFFFF_FFFFL;
            case 4 -> 0x8000_0000L;
            case 5 -> frame.length - FrameCodec.HEADER_BYTES - 1L;
            case 6 -> frame.length - FrameCodec.HEADER_BYTES + 1L;
            default -> random.nextLong(0x1_0000_0000L);
        };
    }

    private static byte[] withLength(byte[] frame, long length) {
        byte[] out = frame.clone();
        ByteBuffer.wrap(out).putInt(4, (int) Math.max(0, length));
        return out;
    }

    private static byte[] withByte(byte[] frame, int at, int value) {
        byte[] out = frame.clone();
        out[at] = (byte) value;
        return out;
    }

    private byte[] randomPayload(byte[] frame) {
        byte[] payload = new byte[random.nextInt(96)];
        random.nextBytes(payload);
        byte[] out = Arrays.copyOf(frame, FrameCodec.HEADER_BYTES + payload.length);
        ByteBuffer.wrap(out).putInt(4, payload.length);
        System.arraycopy(payload, 0, out, FrameCodec.HEADER_BYTES, payload.length);
        return out;
    }
}
