package io.audiosockets.mailman;

import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Put in the pipeline of a connection beyond {@code MAX_CONNECTIONS} only: tells the client so
 * ({@code ERROR LIMIT_REACHED}, which it treats as "retry later") and closes, reading nothing.
 *
 * <p>One per channel, confined to its event loop.
 */
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimitHandler.class);
    private final MailmanContext mailman;

    ConnectionLimitHandler(MailmanContext mailman) {
        this.mailman = mailman;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int max = mailman.config.limits().maxConnections();
        mailman.refused("LIMIT_REACHED", ctx.channel().remoteAddress(), "MAX_CONNECTIONS (" + max + ") reached");
        log.warn("refused a connection from {}: {} connections open (MAX_CONNECTIONS = {})", ctx.channel().remoteAddress(),
                mailman.channels.size() - 1, max);
        CloseReason.set(ctx.channel(), "MAX_CONNECTIONS reached");
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(new ErrorMessage(ErrorCode.LIMIT_REACHED, "this mailman has " + max
                + " connections open (MAX_CONNECTIONS); try again later")).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // nothing from a refused connection is processed
    }
}
