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
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers HTTP requests one at a time per connection, in the order they came: checks the token,
 * then serves {@code /metrics}, {@code /api/status} and the dashboard's files, and hands
 * {@code /ws} on to the WebSocket handshake. Figures are read from the mailman asynchronously and
 * the answer is written on this connection's loop; requests that came meanwhile (a pipelining
 * client) wait their turn. Nothing more is read from a connection while {@value #MAX_WAITING}
 * requests wait or while it is full (a client that does not read its answers), and no waiting
 * request is answered while it is full: what one client can make the mailman hold is the
 * write-buffer watermark, one answer, and the requests of one socket read beyond the waiting ones.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /** The dashboard's WebSocket. */
    static final String WS_PATH = "/ws";
    /** One of the dashboard's files, read from the jar once. */
    private record StaticFile(byte[] bytes, String contentType) {
    }

    /** The dashboard's files by path. */
    private static final Map<String, StaticFile> FILES = Map.of(
            "/", new StaticFile(resource("index.html"), "text/html; charset=utf-8"),
            "/dashboard.js", new StaticFile(resource("dashboard.js"), "text/javascript; charset=utf-8"),
            "/dashboard.css", new StaticFile(resource("dashboard.css"), "text/css; charset=utf-8"));
    private final Mailman mailman;
    private final MailmanMetrics metrics;
    private final HttpToken token;
    /** Requests a pipelining client may have waiting for their turn. */
    static final int MAX_WAITING = 32;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    /** A request is being answered: no other is read meanwhile. */
    private boolean answering;

    HttpRouter(Mailman mailman, MailmanMetrics metrics, HttpToken token) {
        super(false); // a /ws request is passed on, not released here
        this.mailman = mailman;
        this.metrics = metrics;
        this.token = token;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        waiting.add(req);
        answerWaiting(ctx);
    }

    // In order: an answer read asynchronously holds back the requests behind it until it is written.
    private void answerWaiting(ChannelHandlerContext ctx) {
        FullHttpRequest req;
        while (!answering && ctx.channel().isWritable() && (req = waiting.poll()) != null) {
            String path = new QueryStringDecoder(req.uri()).path();
            if (path.equals(WS_PATH) && req.decoderResult().isSuccess() && token.admits(req)) {
                ctx.fireChannelRead(req); // the WebSocket handshake takes it (and its release) from here
                continue;
            }
            try {
                route(ctx, req, path);
            } finally {
                req.release();
            }
        }
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && waiting.size() < MAX_WAITING);
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
                StaticFile file = FILES.get(path);
                if (file == null) {
                    send(ctx, keepAlive, text(HttpResponseStatus.NOT_FOUND, "no such page: " + path
                            + " (there are /, /metrics, /api/status and /ws)\n"));
                } else {
                    send(ctx, keepAlive, body(HttpResponseStatus.OK, file.bytes(), file.contentType()));
                }
            }
        }
    }

    // The answer is written on this connection's loop once the mailman has answered (from its own loops).
    private void answerLater(ChannelHandlerContext ctx, boolean keepAlive, CompletableFuture<FullHttpResponse> answer) {
        answering = true;
        answer.whenComplete((r, e) -> ctx.executor().execute(() -> {
            answering = false;
            if (e != null) {
                log.warn("HTTP: the mailman's figures could not be read: {}", e.toString());
                send(ctx, keepAlive, text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the mailman did not answer: " + e + "\n"));
            } else {
                send(ctx, keepAlive, r);
            }
            answerWaiting(ctx);
        }));
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
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
        // A client that does not read its answers (or a dashboard's WebSocket that does not) is not read either.
        answerWaiting(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
