package io.audiosockets.internal.channel;

import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.Pong;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The connection-level frames either side may receive at any time, before or after the handshake
 * (PROTOCOL.md §5.8-§5.10), and the heartbeat: a PING is answered with a PONG of the same nonce, a
 * PONG only proves the peer alive (any byte read resets the idle timer), BYE and ERROR go to the
 * side's own handling. Idleness from {@link ChannelSettings#idleStateHandler} becomes a PING
 * (nothing written for {@code HEARTBEAT_SECONDS}) or a close (nothing heard within
 * {@code HEARTBEAT_TIMEOUT_SECONDS}: the peer is gone without a FIN).
 *
 * <p>The mailman's and the clients' pipelines each end in a subclass; what differs between them is
 * in the abstract methods. One per channel, confined to its event loop.
 */
public abstract class ControlFrameHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Ping p) {
            ctx.writeAndFlush(new Pong(p.nonce()));
        } else if (msg instanceof Pong) {
            // Any traffic resets the idle timer; nothing else to do.
        } else if (msg instanceof Bye b) {
            onBye(ctx, b);
        } else if (msg instanceof ErrorMessage e) {
            onError(ctx, e);
        } else {
            onFrame(ctx, msg);
        }
    }

    /** The peer said goodbye (or answered ours). */
    protected abstract void onBye(ChannelHandlerContext ctx, Bye bye);

    /** The peer sent ERROR. */
    protected abstract void onError(ChannelHandlerContext ctx, ErrorMessage error);

    /** Any other frame. Takes ownership; by default it goes on down the pipeline. */
    protected void onFrame(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
    }

    /**
     * Nothing was heard from the peer within the heartbeat timeout: the channel is closed next.
     *
     * @return why, for the disconnect's report ({@link CloseReason})
     */
    protected abstract String onSilent(ChannelHandlerContext ctx);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                CloseReason.set(ctx.channel(), onSilent(ctx));
                ctx.close();
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new Ping(ThreadLocalRandom.current().nextLong()));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
