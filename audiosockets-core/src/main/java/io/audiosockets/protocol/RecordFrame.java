package io.audiosockets.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A RECORD frame as received: one item of a result stream (a processor's results: a VAD event,
 * a vector of probabilities), with its header fields parsed and the whole encoded frame kept as
 * it arrived, so the mailman forwards the same bytes to every subscriber, as for
 * {@link AudioFrame}.
 *
 * <p>Reference-counted: whoever holds one owns one reference and must {@link #release()} it or
 * pass it on. {@link #toRecord()} copies the payload out and leaves the count alone.
 */
public final class RecordFrame extends EncodedFrame {
    private final String stream;
    private final long seq;
    private final long timeNanos;
    private final long durationNanos;
    private final ContentType contentType;
    private final int flags;
    private final int payloadIndex;

    RecordFrame(String stream, long seq, long timeNanos, long durationNanos, ContentType contentType, int flags, ByteBuf encoded,
                int flagsIndex, int payloadIndex) {
        super(encoded, flagsIndex);
        this.stream = stream;
        this.seq = seq;
        this.timeNanos = timeNanos;
        this.durationNanos = durationNanos;
        this.contentType = contentType;
        this.flags = flags;
        this.payloadIndex = payloadIndex;
    }

    @Override
    public FrameType type() {
        return FrameType.RECORD;
    }

    @Override
    public String stream() {
        return stream;
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public long timeNanos() {
        return timeNanos;
    }

    @Override
    public long durationNanos() {
        return durationNanos;
    }

    /** What the payload is. */
    public ContentType contentType() {
        return contentType;
    }

    @Override
    public int flags() {
        return flags;
    }

    /** Copies the payload into a new {@link Record}. The frame's reference count is unchanged. */
    public ResultRecord toRecord() {
        byte[] data = new byte[encoded.writerIndex() - payloadIndex];
        encoded.getBytes(payloadIndex, data);
        return new ResultRecord(stream, seq, timeNanos, durationNanos, contentType, data);
    }

    @Override
    public RecordFrame retainedDuplicate() {
        return new RecordFrame(stream, seq, timeNanos, durationNanos, contentType, flags, encoded.retainedDuplicate(), flagsIndex,
                payloadIndex);
    }

    @Override
    public RecordFrame copyWithFlags(int newFlags, ByteBufAllocator alloc) {
        ByteBuf copy = copyBytes(newFlags, alloc);
        return new RecordFrame(stream, seq, timeNanos, durationNanos, contentType, newFlags, copy,
                flagsIndex - encoded.readerIndex(), payloadIndex - encoded.readerIndex());
    }

    /** Names the record and its shape, never the payload. */
    @Override
    public String toString() {
        return "RecordFrame{stream=" + stream + ", seq=" + seq + ", " + contentType + ", "
                + (encoded.writerIndex() - payloadIndex) + " bytes" + (redelivery() ? ", redelivery" : "") + "}";
    }
}
