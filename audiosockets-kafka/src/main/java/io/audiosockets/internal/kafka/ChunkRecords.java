package io.audiosockets.internal.kafka;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One audio chunk as one Kafka record, the same bytes everywhere: the key is the stream's name
 * (UTF-8), so that a stream stays in one partition, in order; the value is the chunk's AUDIO frame
 * exactly as PROTOCOL.md §4.4 encodes it (header included), so whoever reads the topic decodes it
 * with the protocol's rules; headers repeat what a consumer may want without decoding:
 * {@value #STREAM} (UTF-8), {@value #SEQ} and {@value #CAPTURE_NANOS} (8 bytes, big-endian).
 */
public final class ChunkRecords {
    /** Header: the stream's name. */
    public static final String STREAM = "audiosockets.stream";
    /** Header: the chunk's sequence number. */
    public static final String SEQ = "audiosockets.seq";
    /** Header: the chunk's capture time, nanoseconds since the epoch. */
    public static final String CAPTURE_NANOS = "audiosockets.capture_ns";

    private ChunkRecords() {
    }

    /**
     * The record of {@code chunk} for {@code topic}. Its timestamp is the capture time in
     * milliseconds, but never later than now: a source read faster than real time (a file, a pipe)
     * has capture times counted in samples from its start, which run ahead of the clock, and a
     * broker refuses a timestamp further ahead than its {@code log.message.timestamp.after.max.ms}
     * (for good: sending again cannot help). The capture time itself is always in the
     * {@value #CAPTURE_NANOS} header and in the value.
     */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, AudioChunk chunk) {
        return toRecord(topic, chunk, System.currentTimeMillis());
    }

    /** As {@link #toRecord(String, AudioChunk)}, with the clock read by the caller. */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, AudioChunk chunk, long nowMillis) {
        long timestamp = Math.min(Math.floorDiv(chunk.captureTimeNanos(), 1_000_000), nowMillis);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, timestamp,
                chunk.stream().getBytes(StandardCharsets.UTF_8), encode(chunk));
        r.headers().add(STREAM, chunk.stream().getBytes(StandardCharsets.UTF_8));
        r.headers().add(SEQ, longBytes(chunk.seq()));
        r.headers().add(CAPTURE_NANOS, longBytes(chunk.captureTimeNanos()));
        return r;
    }

    /** The AUDIO frame of {@code chunk}, as on the wire. */
    public static byte[] encode(AudioChunk chunk) {
        ByteBuf buf = Unpooled.buffer(FrameCodec.estimateSize(new AudioMessage(chunk, 0)));
        try {
            FrameCodec.encode(new AudioMessage(chunk, 0), buf);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    /**
     * The chunk a record carries.
     *
     * @throws IllegalArgumentException if the value is not one whole AUDIO frame (the record names its
     *         topic, partition and offset), so that a foreign or corrupt record is reported, not guessed at
     */
    public static AudioChunk fromRecord(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            throw new IllegalArgumentException(where(r) + ": no value (expected an AUDIO frame)");
        }
        ByteBuf buf = Unpooled.wrappedBuffer(r.value());
        Message m;
        try {
            m = FrameCodec.decode(buf, Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where(r) + ": not an AUDIO frame of PROTOCOL.md: " + e.getMessage(), e);
        }
        if (!(m instanceof AudioFrame f)) {
            if (m != null) {
                ReferenceCountUtil.release(m);
            }
            throw new IllegalArgumentException(where(r) + ": expected one AUDIO frame, got " + (m == null ? "a cut frame" : m.type()));
        }
        try {
            if (buf.isReadable()) {
                throw new IllegalArgumentException(where(r) + ": " + buf.readableBytes() + " bytes after the AUDIO frame");
            }
            return f.toChunk();
        } finally {
            f.release();
        }
    }

    /** The sequence number in a record's header, or -1 if it has none. */
    public static long seqOf(Headers headers) {
        Header h = headers.lastHeader(SEQ);
        return h == null || h.value().length != 8 ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return "record " + r.topic() + "-" + r.partition() + "@" + r.offset();
    }
}
