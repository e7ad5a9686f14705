package io.audiosockets.protocol;

import io.audiosockets.internal.protocol.Names;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One item of a result stream: what a processor found about a stretch of audio, published so
 * that other processors can subscribe to it as to audio (PROTOCOL.md §9).
 *
 * @param stream the result stream's name, e.g. {@code mic.vad}
 * @param seq its sequence number in that stream
 * @param timeNanos when the audio it is about begins, nanoseconds since the Unix epoch (the capture
 *     time of that audio's first sample)
 * @param durationNanos how much audio it is about, in nanoseconds; 0 for an instant (an event)
 * @param contentType what {@code data} is
 * @param data the payload; not copied, do not change it
 */
public record ResultRecord(String stream, long seq, long timeNanos, long durationNanos, ContentType contentType, byte[] data) {
    /** Checks the fields. */
    public ResultRecord {
        Objects.requireNonNull(stream, "stream == null");
        Objects.requireNonNull(contentType, "contentType == null");
        Objects.requireNonNull(data, "data == null");
        if (seq < 0) {
            throw new IllegalArgumentException("seq : " + seq + " (expected: >= 0)");
        }
        if (durationNanos < 0) {
            throw new IllegalArgumentException("durationNanos : " + durationNanos + " (expected: >= 0)");
        }
        if (contentType == ContentType.FLOAT32 && data.length % 4 != 0) {
            throw new IllegalArgumentException("FLOAT32 data of " + data.length + " bytes is not a whole number of floats");
        }
    }

    /** A JSON record: {@code json} as UTF-8. */
    public static ResultRecord json(String stream, long seq, long timeNanos, long durationNanos, String json) {
        return new ResultRecord(stream, seq, timeNanos, durationNanos, ContentType.JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A FLOAT32 record: {@code values}, little-endian. */
    public static ResultRecord floats(String stream, long seq, long timeNanos, long durationNanos, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new ResultRecord(stream, seq, timeNanos, durationNanos, ContentType.FLOAT32, b.array());
    }

    /** The payload as text (for a JSON record). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The payload as floats (for a FLOAT32 record). */
    public float[] floats() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[data.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    /** The same record under sequence number {@code newSeq}. */
    public ResultRecord withSeq(long newSeq) {
        return new ResultRecord(stream, newSeq, timeNanos, durationNanos, contentType, data);
    }

    /** Equal fields and equal bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ResultRecord r && seq == r.seq && timeNanos == r.timeNanos && durationNanos == r.durationNanos
                && stream.equals(r.stream) && contentType == r.contentType && java.util.Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, seq, timeNanos, durationNanos, contentType) * 31 + java.util.Arrays.hashCode(data);
    }

    /** Names the record, never its payload. */
    @Override
    public String toString() {
        return "ResultRecord{stream=" + stream + ", seq=" + seq + ", " + contentType + ", " + data.length + " bytes}";
    }
}
