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
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of valid {@link Message}s: every frame type, every enum value, extreme longs,
 * names that follow {@link Names} (and, since the codec itself does not judge names, sometimes
 * any Unicode), Unicode text up to the 65 535-byte string limit, and audio of both sample
 * formats with 1 to 65 535 channels.
 *
 * <p>Strings are built from code points, never from lone surrogates: a lone surrogate cannot be
 * encoded as UTF-8 (it goes out as '?'), so it would not round-trip, and a sender must send
 * valid UTF-8 (PROTOCOL.md §3).
 */
final class FrameArbitraries {
    /** The longest string of code points whose UTF-8 form is sure to fit the 65 535-byte limit (4 bytes each). */
    private static final int MAX_SAFE_CODE_POINTS = FrameCodec.MAX_STRING_BYTES / 4;

    private FrameArbitraries() {
    }

    /** Any valid message of any type, of any size up to about 300 KiB. */
    static Arbitrary<Message> anyMessage() {
        return Arbitraries.oneOf(List.of(hello(text()), welcome(), error(), audio(4096), ack(), gap(), bye(), ping(), pong(),
                replayRequest(), replayAnswer(), record(16_384)));
    }

    /** Any valid message with short strings and short audio: the raw material of mutations, cheap to decode many times. */
    static Arbitrary<Message> smallMessage() {
        return Arbitraries.oneOf(List.of(hello(shortText()), welcome(), error(), audio(64), ack(), gap(), bye(), ping(), pong(),
                replayRequest(), replayAnswer(), record(64)));
    }

    /** One code point: mostly ASCII (NUL included), then the rest of the BMP, then the supplementary planes. */
    static Arbitrary<Integer> codePoint() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(3, Arbitraries.integers().between(0x80, 0xFFFF).filter(c -> c < 0xD800 || c > 0xDFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
    }

    /** Unicode text of up to 40 code points. */
    static Arbitrary<String> shortText() {
        return codePoints(0, 40);
    }

    /** Unicode text, mostly short, sometimes up to the string limit, sometimes exactly 65 535 UTF-8 bytes. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, codePoints(0, 40)),
                Tuple.of(2, codePoints(0, MAX_SAFE_CODE_POINTS)),
                Tuple.of(1, Arbitraries.of("x".repeat(FrameCodec.MAX_STRING_BYTES), "é".repeat(FrameCodec.MAX_STRING_BYTES / 2),
                        "🎵".repeat(FrameCodec.MAX_STRING_BYTES / 4))));
    }

    private static Arbitrary<String> codePoints(int min, int max) {
        return codePoint().list().ofMinSize(min).ofMaxSize(max)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    /** A stream or processor name: mostly one that follows {@link Names}, sometimes any text (the codec carries it). */
    static Arbitrary<String> name() {
        Arbitrary<String> valid = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars("._-").ofMinLength(1).ofMaxLength(Names.MAX_LENGTH);
        return Arbitraries.frequencyOf(Tuple.of(9, valid), Tuple.of(1, shortText()));
    }

    private static Arbitrary<Long> seq() {
        return Arbitraries.longs().greaterOrEqual(0);
    }

    static Arbitrary<Message> hello(Arbitrary<String> text) {
        Arbitrary<StartPosition> start = Combinators.combine(Arbitraries.of(StartPosition.Mode.class),
                Arbitraries.longs().greaterOrEqual(0)).as((mode, millis) -> new StartPosition(mode, Duration.ofMillis(millis)));
        return Combinators.combine(
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.frequencyOf(Tuple.of(4, name()), Tuple.of(1, text)),
                        Arbitraries.longs(),
                        text,
                        Arbitraries.integers().between(0, 0xFFFF),
                        start,
                        name().list().ofMaxSize(8),
                        Arbitraries.maps(name(), seq()).ofMaxSize(8))
                .as((role, name, instance, token, window, st, subs, positions) -> new Hello(role, name, instance, token, window, st, subs,
                        positions))
                .flatMap(h -> Arbitraries.integers().between(1, FrameCodec.VERSION).map(h::withVersion));
    }

    static Arbitrary<Message> welcome() {
        return Combinators.combine(shortText(), Arbitraries.longs(), Arbitraries.integers().greaterOrEqual(1),
                        Arbitraries.integers().greaterOrEqual(0), Arbitraries.longs())
                .as(Welcome::new);
    }

    static Arbitrary<Message> error() {
        // ErrorMessage shortens a text over 2000 chars (as String.length counts them): stay below so it round-trips.
        return Combinators.combine(Arbitraries.of(ErrorCode.class), codePoints(0, ErrorMessage.MAX_MESSAGE_CHARS / 2))
                .as(ErrorMessage::new);
    }

    static Arbitrary<Message> ack() {
        return Combinators.combine(name(), seq()).as(Ack::new);
    }

    static Arbitrary<Message> gap() {
        return Combinators.combine(name(), seq(), seq(), Arbitraries.of(GapReason.class), shortText())
                .as((s, a, b, reason, text) -> new GapFrame(new Gap(s, Math.min(a, b), Math.max(a, b), reason, text)));
    }

    static Arbitrary<Message> bye() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("DISCONNECT")), Tuple.of(2, shortText())).map(Bye::new);
    }

    static Arbitrary<Message> ping() {
        return Arbitraries.longs().map(Ping::new);
    }

    static Arbitrary<Message> pong() {
        return Arbitraries.longs().map(Pong::new);
    }

    static Arbitrary<Message> replayRequest() {
        return Combinators.combine(name(), seq(), seq()).as((s, a, b) -> new ReplayRequest(s, Math.min(a, b), Math.max(a, b)));
    }

    static Arbitrary<Message> replayAnswer() {
        return Combinators.combine(name(), seq(), seq()).as(ReplayAnswer::new);
    }

    /**
     * AUDIO of both formats: the usual channel counts with up to {@code maxFrames} frames, or any
     * count up to 65 535 with a few frames. The samples are noise from a seed (shrinking a seed
     * is cheap; shrinking a byte array is not).
     */
    /** A RECORD (protocol version 2) of any content type with up to {@code maxBytes} of data, FLOAT32 in whole floats. */
    static Arbitrary<Message> record(int maxBytes) {
        return Combinators.combine(name(), seq(), Arbitraries.longs(), Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.of(ContentType.class), Arbitraries.integers().between(0, maxBytes),
                        Arbitraries.integers().between(0, 255), Arbitraries.longs())
                .as((stream, seq, time, duration, type, size, flags, seed) -> {
                    byte[] data = new byte[type == ContentType.FLOAT32 ? size / 4 * 4 : size];
                    new SplittableRandom(seed).nextBytes(data);
                    return new RecordMessage(new ResultRecord(stream, seq, time, duration, type, data), flags);
                });
    }

    static Arbitrary<Message> audio(int maxFrames) {
        Arbitrary<int[]> shape = Arbitraries.frequencyOf(
                Tuple.of(8, Combinators.combine(Arbitraries.of(1, 2, 4, 6, 8), Arbitraries.integers().between(0, maxFrames))
                        .as((ch, frames) -> new int[] {ch, frames})),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(1, 0xFFFF), Arbitraries.integers().between(0, 2))
                        .as((ch, frames) -> new int[] {ch, frames})));
        return Combinators.combine(name(), seq(), Arbitraries.longs(), Arbitraries.integers().greaterOrEqual(1), shape,
                        Arbitraries.of(SampleFormat.class), Arbitraries.integers().between(0, 255), Arbitraries.longs())
                .as((stream, seq, time, rate, sh, format, flags, seed) -> {
                    byte[] data = new byte[sh[0] * sh[1] * format.bytesPerSample()];
                    new SplittableRandom(seed).nextBytes(data);
                    return new AudioMessage(ChunkBytes.wrap(stream, seq, time, rate, sh[0], format, data), flags);
                });
    }
}
