package io.audiosockets.internal.protocol.codec;

import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns the bytes of a connection into {@link Message}s, with {@link FrameCodec#decode}.
 *
 * <p>The announced payload length is checked against the maximum before the payload is
 * waited for, so memory never grows with what a peer claims. After the first protocol error
 * the decoder discards everything that follows: the connection is being closed, and nothing
 * after a broken frame can be trusted to be a frame boundary.
 *
 * <p>Not sharable: one per channel, confined to its event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxPayloadBytes;
    private boolean failed;

    /**
     * A decoder that refuses payloads over {@code maxPayloadBytes}.
     *
     * @throws IllegalArgumentException if {@code maxPayloadBytes <= 0}
     */
    public FrameDecoder(int maxPayloadBytes) {
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes : " + maxPayloadBytes + " (expected: > 0)");
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Message m = FrameCodec.decode(in, maxPayloadBytes);
            if (m != null) {
                out.add(m);
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
