package io.audiosockets.internal.protocol.codec;

import io.audiosockets.internal.protocol.StreamFrame;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Turns {@link Message}s into frames, with {@link FrameCodec#encode}. A {@link StreamFrame} (AUDIO,
 * RECORD) is already encoded: its bytes are passed on as they are, without a copy, which is how the mailman
 * writes one buffer to every processor.
 *
 * <p>Stateless, so one instance may serve every channel.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Message> {

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
        if (msg instanceof StreamFrame f) {
            // The superclass releases f after this returns: pass on a reference of our own.
            out.add(f.content().retain());
            return;
        }
        ByteBuf buf = ctx.alloc().ioBuffer(FrameCodec.estimateSize(msg));
        try {
            FrameCodec.encode(msg, buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        out.add(buf);
    }
}
