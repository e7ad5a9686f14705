package io.audiosockets.mailman;

import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.channel.ControlFrameHandler;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailman's side of the connection-level frames every client may send at any time, before or
 * after its handshake (PING, idleness: {@link ControlFrameHandler}): BYE is answered and the
 * connection closed, a client's ERROR is logged and the connection closed, a silent client is
 * declared dead.
 *
 * <p>One per channel, confined to its event loop.
 */
final class ControlHandler extends ControlFrameHandler {
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
        super.channelRead(ctx, msg);
    }

    @Override
    protected void onError(ChannelHandlerContext ctx, ErrorMessage e) {
        log.warn("{} sent ERROR {}: {}; closing its connection", Labels.of(ctx), e.code(), e.message());
        CloseReason.set(ctx.channel(), "client sent ERROR " + e.code());
        ctx.close();
    }

    @Override
    protected void onBye(ChannelHandlerContext ctx, Bye bye) {
        String expected = mailman.config.disconnectMsg();
        if (!expected.equals(bye.message())) {
            CloseReason.set(ctx.channel(), "BYE with the wrong DISCONNECT_MSG");
            ctx.writeAndFlush(new ErrorMessage(ErrorCode.BAD_DISCONNECT_MSG, "BYE carried '" + bye.message()
                    + "' but this mailman's DISCONNECT_MSG is '" + expected + "': use the same config file on both sides"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        CloseReason.set(ctx.channel(), "BYE");
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
    protected String onSilent(ChannelHandlerContext ctx) {
        log.warn("{} silent for {} s (HEARTBEAT_TIMEOUT_SECONDS): declaring it dead and closing",
                Labels.of(ctx), mailman.config.heartbeatTimeout().toMillis() / 1000.0);
        return "heartbeat timeout";
    }
}
