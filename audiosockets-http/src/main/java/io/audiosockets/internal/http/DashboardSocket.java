package io.audiosockets.internal.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * A dashboard's WebSocket once its handshake is done: joins the {@link DashboardFeed}. The page
 * sends nothing the mailman acts on, so frames from it are dropped (pings are answered by the
 * protocol handler before this).
 */
final class DashboardSocket extends ChannelInboundHandlerAdapter {
    private final DashboardFeed feed;

    DashboardSocket(DashboardFeed feed) {
        this.feed = feed;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            feed.open(ctx.channel());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
