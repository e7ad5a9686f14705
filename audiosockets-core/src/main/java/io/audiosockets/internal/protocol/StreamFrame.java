package io.audiosockets.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;

/**
 * A frame that is one item of a stream, as received: an {@link AudioFrame} (a chunk of audio) or
 * a {@link RecordFrame} (a processor's result). The mailman keeps such frames in its retention
 * logs and forwards the very same bytes to every processor, whatever they carry.
 *
 * <p>Reference-counted like the buffers it wraps: whoever holds one owns one reference.
 */
public sealed interface StreamFrame extends Message, ReferenceCounted permits EncodedFrame {
    /** Flag bit: this item was sent to this processor before (at-least-once redelivery). */
    int FLAG_REDELIVERY = 0x01;

    /** The stream's name. */
    String stream();

    /** The item's sequence number in its stream. */
    long seq();

    /** When the audio the item holds or describes begins, nanoseconds since the Unix epoch. */
    long timeNanos();

    /** How much audio the item holds or describes, in nanoseconds (0 for an instant). */
    long durationNanos();

    /** The flag bits. */
    int flags();

    /** True if the redelivery flag is set. */
    default boolean redelivery() {
        return (flags() & FLAG_REDELIVERY) != 0;
    }

    /** Size of the whole encoded frame, header included. */
    int encodedBytes();

    /**
     * The encoded frame, header included. The caller must not release it nor change its indexes;
     * it belongs to this object. For the frame encoder.
     */
    ByteBuf content();

    /** A second owner of the same bytes: the count is incremented, the bytes are shared. */
    StreamFrame retainedDuplicate();

    /**
     * Writes the whole encoded frame to {@code dst} with {@code newFlags} and the header's version
     * byte set to the lowest protocol version that has this frame type, as {@link #copyWithFlags}
     * does, for a store that keeps many frames in one buffer: {@link FrameCodec#rewrap} reads them
     * back. This frame's bytes and count are unchanged.
     */
    void copyTo(ByteBuf dst, int newFlags);

    /**
     * A copy in a new buffer of exactly the frame's size, with {@code newFlags} and the header's
     * version byte set to the lowest protocol version that has this frame type, so that the copy
     * can be forwarded to any peer that may receive it. This frame's count is unchanged.
     */
    StreamFrame copyWithFlags(int newFlags, ByteBufAllocator alloc);
}
