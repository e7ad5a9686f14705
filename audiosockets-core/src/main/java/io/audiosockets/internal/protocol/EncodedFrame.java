package io.audiosockets.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What AUDIO and RECORD frames as received have in common: the whole encoded frame they wrap,
 * whose reference count is theirs, and where their flags byte is. The mailman forwards these bytes
 * unchanged; only a redelivery is sent as a copy with other flags.
 */
abstract sealed class EncodedFrame implements StreamFrame permits AudioFrame, RecordFrame {
    private final String stream;
    private final long seq;
    private final long timeNanos;
    private final int flags;
    /** The encoded frame, header included; owned by this object. */
    final ByteBuf encoded;
    /** The index of the flags byte in {@link #encoded}. */
    final int flagsIndex;
    /** The index in {@link #encoded} where the payload's data (samples, a record's data) begins; it runs to the end. */
    final int dataIndex;

    EncodedFrame(String stream, long seq, long timeNanos, int flags, ByteBuf encoded, int flagsIndex, int dataIndex) {
        this.stream = stream;
        this.seq = seq;
        this.timeNanos = timeNanos;
        this.flags = flags;
        this.encoded = encoded;
        this.flagsIndex = flagsIndex;
        this.dataIndex = dataIndex;
    }

    @Override
    public final String stream() {
        return stream;
    }

    @Override
    public final long seq() {
        return seq;
    }

    @Override
    public final long timeNanos() {
        return timeNanos;
    }

    @Override
    public final int flags() {
        return flags;
    }

    /** A copy of the data (samples, a record's payload). The reference count is unchanged. */
    final byte[] copyData() {
        byte[] data = new byte[encoded.writerIndex() - dataIndex];
        encoded.getBytes(dataIndex, data);
        return data;
    }

    @Override
    public final int encodedBytes() {
        return encoded.readableBytes();
    }

    @Override
    public final ByteBuf content() {
        return encoded;
    }

    /**
     * The frame's bytes in a new buffer of exactly their size, with {@code newFlags} and the
     * version byte of the frame's type (§7), for {@link #copyWithFlags}: the shared bytes are never
     * modified. Indexes in the copy are those of {@link #encoded} less its reader index.
     */
    final ByteBuf copyBytes(int newFlags, ByteBufAllocator alloc) {
        ByteBuf copy = alloc.buffer(encoded.readableBytes());
        copyTo(copy, newFlags);
        return copy;
    }

    @Override
    public final void copyTo(ByteBuf dst, int newFlags) {
        int at = dst.writerIndex();
        dst.writeBytes(encoded, encoded.readerIndex(), encoded.readableBytes());
        dst.setByte(at + flagsIndex - encoded.readerIndex(), newFlags);
        dst.setByte(at + 2, type().sinceVersion());
    }

    @Override
    public final int refCnt() {
        return encoded.refCnt();
    }

    @Override
    public final StreamFrame retain() {
        encoded.retain();
        return this;
    }

    @Override
    public final StreamFrame retain(int increment) {
        encoded.retain(increment);
        return this;
    }

    @Override
    public final StreamFrame touch() {
        encoded.touch();
        return this;
    }

    @Override
    public final StreamFrame touch(Object hint) {
        encoded.touch(hint);
        return this;
    }

    @Override
    public final boolean release() {
        return encoded.release();
    }

    @Override
    public final boolean release(int decrement) {
        return encoded.release(decrement);
    }
}
