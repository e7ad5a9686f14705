package io.audiosockets.internal.http;

import io.audiosockets.mailman.Mailman;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The HTTP side's pipeline, read top to bottom: TLS (if configured), HTTP, whole requests of at
 * most 64 KiB, passed on one at a time as the router asks for the next, the router (token, then
 * {@code /metrics}, {@code /api/status}, the dashboard's files), and for {@code /ws} the WebSocket
 * handshake and the dashboard feed. A connection idle for five minutes is closed.
 */
public final class HttpInitializer extends ChannelInitializer<SocketChannel> {
    /** Per connection: stop reading requests above 512 KiB of unsent responses, resume below 128 KiB. */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);
    /** Largest request accepted: {@value} bytes (requests here have no body). */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    private final Mailman mailman;
    private final MailmanMetrics metrics;
    private final DashboardFeed feed;
    private final HttpToken token;
    private final SslContext ssl;

    /** A pipeline for each connection to the HTTP side of {@code mailman}. */
    public HttpInitializer(Mailman mailman, MailmanMetrics metrics, DashboardFeed feed, HttpToken token, SslContext ssl) {
        this.mailman = mailman;
        this.metrics = metrics;
        this.feed = feed;
        this.token = token;
        this.ssl = ssl;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast("idle", new IdleStateHandler(0, 0, 300));
        p.addLast("http", new HttpServerCodec());
        p.addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        p.addLast("router", new HttpRouter(mailman, metrics, token));
        p.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(HttpRouter.WS_PATH).checkStartsWith(true).maxFramePayloadLength(MAX_REQUEST_BYTES).build()));
        p.addLast("dashboard", new DashboardSocket(feed));
    }
}
