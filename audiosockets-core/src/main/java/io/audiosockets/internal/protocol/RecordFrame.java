package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.ContentType;
import io.audiosockets.protocol.ResultRecord;
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
    private final long durationNanos;
    private final ContentType contentType;

    RecordFrame(String stream, long seq, long timeNanos, long durationNanos, ContentType contentType, int flags, ByteBuf encoded,
                int flagsIndex, int payloadIndex) {
        super(stream, seq, timeNanos, flags, encoded, flagsIndex, payloadIndex);
        this.durationNanos = durationNanos;
        this.contentType = contentType;
    }

    @Override
    public FrameType type() {
        return FrameType.RECORD;
    }

    @Override
    public long durationNanos() {
        return durationNanos;
    }

    /** What the payload is. */
    public ContentType contentType() {
        return contentType;
    }

    /** Copies the payload into a new {@link Record}. The frame's reference count is unchanged. */
    public ResultRecord toRecord() {
        return new ResultRecord(stream(), seq(), timeNanos(), durationNanos, contentType, copyData());
    }

    @Override
    public RecordFrame retainedDuplicate() {
        return new RecordFrame(stream(), seq(), timeNanos(), durationNanos, contentType, flags(), encoded.retainedDuplicate(),
                flagsIndex, dataIndex);
    }

    @Override
    public RecordFrame copyWithFlags(int newFlags, ByteBufAllocator alloc) {
        ByteBuf copy = copyBytes(newFlags, alloc);
        return new RecordFrame(stream(), seq(), timeNanos(), durationNanos, contentType, newFlags, copy,
                flagsIndex - encoded.readerIndex(), dataIndex - encoded.readerIndex());
    }

    /** Names the record and its shape, never the payload. */
    @Override
    public String toString() {
        return "RecordFrame{stream=" + stream() + ", seq=" + seq() + ", " + contentType + ", "
                + (encoded.writerIndex() - dataIndex) + " bytes" + (redelivery() ? ", redelivery" : "") + "}";
    }
}
