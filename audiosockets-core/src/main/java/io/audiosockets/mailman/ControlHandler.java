package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.Pong;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection-level frames every client may send at any time, before or after its handshake:
 * PING is answered, BYE is answered and the connection closed, a client's ERROR is logged and
 * the connection closed. Also turns idleness into a PING (nothing written lately) or a close
 * (nothing heard within the heartbeat timeout: the peer is gone without a FIN).
 *
 * <p>One per channel, confined to its event loop.
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ControlHandler.class);
    private final MailmanContext mailman;
    private boolean saidBye;

    ControlHandler(MailmanContext mailman) {
        this.mailman = mailman;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (saidBye) {
            // The rest of the read that carried the BYE: the client has said goodbye, nothing after it counts.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Ping p) {
            ctx.writeAndFlush(new Pong(p.nonce()));
        } else if (msg instanceof Pong) {
            // Any traffic resets the idle timer; nothing else to do.
        } else if (msg instanceof Bye b) {
            onBye(ctx, b);
        } else if (msg instanceof ErrorMessage e) {
            log.warn("{} sent ERROR {}: {}; closing its connection", Labels.of(ctx), e.code(), e.message());
            ctx.channel().attr(MailmanContext.CLOSE_REASON).set("client sent ERROR " + e.code());
            ctx.close();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void onBye(ChannelHandlerContext ctx, Bye bye) {
        String expected = mailman.config.disconnectMsg();
        if (!expected.equals(bye.message())) {
            ctx.channel().attr(MailmanContext.CLOSE_REASON).set("BYE with the wrong DISCONNECT_MSG");
            ctx.writeAndFlush(new ErrorMessage(ErrorCode.BAD_DISCONNECT_MSG, "BYE carried '" + bye.message()
                    + "' but this mailman's DISCONNECT_MSG is '" + expected + "': use the same config file on both sides"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().attr(MailmanContext.CLOSE_REASON).set("BYE");
        ctx.channel().config().setAutoRead(false); // nothing after BYE is read...
        saidBye = true; // ...or handled, if it came in the same read
        // What came before the BYE is answered before it: the session writes what it owes (a recorder's ACK).
        ctx.fireUserEventTriggered(Farewell.INSTANCE);
        ctx.writeAndFlush(new Bye(expected)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Fired down the pipeline when a BYE has been read, before it is answered: the session writes
     * what it still owes the client for frames read before the BYE.
     */
    enum Farewell {
        INSTANCE
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                log.warn("{} silent for {} s (HEARTBEAT_TIMEOUT_SECONDS): declaring it dead and closing",
                        Labels.of(ctx), mailman.config.heartbeatTimeout().toMillis() / 1000.0);
                ctx.channel().attr(MailmanContext.CLOSE_REASON).set("heartbeat timeout");
                ctx.close();
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new Ping(ThreadLocalRandom.current().nextLong()));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
