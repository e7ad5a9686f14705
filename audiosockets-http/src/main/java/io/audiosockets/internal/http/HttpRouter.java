package io.audiosockets.internal.http;

import io.audiosockets.mailman.Mailman;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one HTTP request at a time per connection: checks the token, then serves
 * {@code /metrics}, {@code /api/status} and the dashboard's files, and hands {@code /ws} on to the
 * WebSocket handshake. Figures are read from the mailman asynchronously and the answer is
 * written on this connection's loop. The connection does not read by itself: the next request is
 * asked for (through the {@code FlowControlHandler} before this) once the answer to the previous
 * one has gone to the socket. So pipelined requests are answered in order, and a client that
 * sends many without reading its answers holds at most one answer here, not one per request.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /** The dashboard's WebSocket. */
    static final String WS_PATH = "/ws";
    /** The dashboard's files: path, resource, content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/dashboard.js", new String[] {"dashboard.js", "text/javascript; charset=utf-8"},
            "/dashboard.css", new String[] {"dashboard.css", "text/css; charset=utf-8"});
    private final Mailman mailman;
    private final MailmanMetrics metrics;
    private final HttpToken token;
    /** Set once the connection is a dashboard's WebSocket: from then on it reads while it can write. */
    private boolean websocket;
    /** An answer went out while the connection was full: read the next request when it drains. */
    private boolean readWhenWritable;
    /** A request is being answered: no other is read meanwhile. */
    private boolean answering;

    HttpRouter(Mailman mailman, MailmanMetrics metrics, HttpToken token) {
        super(false); // a /ws request is passed on, not released here
        this.mailman = mailman;
        this.metrics = metrics;
        this.token = token;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false); // requests are read one by one: channelActive, then readNext
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        ctx.read();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals(WS_PATH) && req.decoderResult().isSuccess() && token.admits(req)) {
            websocket = true;
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelRead(req); // the WebSocket handshake takes it (and its release) from here
            return;
        }
        answering = true;
        try {
            route(ctx, req, path);
        } finally {
            req.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            send(ctx, false, text(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request\n"));
            return;
        }
        if (!token.admits(req)) {
            FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, "this mailman requires its token: send 'Authorization: Bearer "
                    + "TOKEN', or open the dashboard as /?token=TOKEN (the token is the mailman's PROCESSOR_TOKEN or TOKEN)\n");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"audiosockets\"");
            log.warn("HTTP {} {} from {} refused: missing or wrong token", req.method(), path, ctx.channel().remoteAddress());
            send(ctx, keepAlive, r);
            return;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, req.method() + " is not served here: only GET\n");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, keepAlive, r);
            return;
        }
        switch (path) {
            case "/metrics" -> answerLater(ctx, keepAlive, metrics.scrape(ctx.executor())
                    .thenApply(body -> body(HttpResponseStatus.OK, body, MailmanMetrics.CONTENT_TYPE)));
            case "/api/status" -> answerLater(ctx, keepAlive, mailman.statusAsync()
                    .thenApply(s -> body(HttpResponseStatus.OK, StatusJson.write(s), "application/json; charset=utf-8")));
            default -> {
                String[] file = FILES.get(path);
                if (file == null) {
                    send(ctx, keepAlive, text(HttpResponseStatus.NOT_FOUND, "no such page: " + path
                            + " (there are /, /metrics, /api/status and /ws)\n"));
                } else {
                    send(ctx, keepAlive, body(HttpResponseStatus.OK, resource(file[0]), file[1]));
                }
            }
        }
    }

    // The answer is written on this connection's loop once the mailman has answered (from its own loops).
    private void answerLater(ChannelHandlerContext ctx, boolean keepAlive, CompletableFuture<FullHttpResponse> answer) {
        answer.whenComplete((r, e) -> ctx.executor().execute(() -> {
            if (e != null) {
                log.warn("HTTP: the mailman's figures could not be read: {}", e.toString());
                send(ctx, keepAlive, text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the mailman did not answer: " + e + "\n"));
            } else {
                send(ctx, keepAlive, r);
            }
        }));
    }

    private void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            // The next request once this answer has left for the socket: a client that does not read waits here.
            ctx.writeAndFlush(r).addListener((ChannelFutureListener) f -> {
                answering = false;
                if (!f.isSuccess()) {
                    ctx.close();
                } else if (ctx.channel().isWritable()) {
                    readNext(ctx);
                } else {
                    readWhenWritable = true;
                }
            });
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // As a task of its own: a read() asked for from inside the previous request's channelRead (an answer written at once)
    // is lost between the FlowControlHandler and the HTTP decoder, and the connection would hang.
    private void readNext(ChannelHandlerContext ctx) {
        ctx.executor().execute(() -> {
            if (!answering) {
                ctx.read();
            }
        });
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return body(status, body.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    private static FullHttpResponse body(HttpResponseStatus status, String body, String contentType) {
        return body(status, body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    private static FullHttpResponse body(HttpResponseStatus status, byte[] body, String contentType) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return r;
    }

    private static byte[] resource(String name) {
        try (InputStream in = HttpRouter.class.getResourceAsStream("/io/audiosockets/http/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar (a build problem)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A client that does not read its answers is not read either: its memory here stays bounded.
        if (websocket) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        } else if (readWhenWritable && ctx.channel().isWritable()) {
            readWhenWritable = false;
            readNext(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            // The TLS handshake took the reads asked for so far, and nothing below asks again once it is done.
            readNext(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
