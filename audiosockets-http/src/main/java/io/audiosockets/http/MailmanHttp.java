package io.audiosockets.http;

import io.audiosockets.config.Monitoring;
import io.audiosockets.config.Security;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.http.DashboardFeed;
import io.audiosockets.internal.http.HttpInitializer;
import io.audiosockets.internal.http.HttpToken;

import io.audiosockets.internal.http.MailmanMetrics;
import io.audiosockets.internal.tls.TlsContexts;
import io.audiosockets.mailman.Mailman;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailman's HTTP side: {@code /metrics} (Prometheus text format), {@code /api/status} (JSON,
 * documented field by field in {@code docs/HTTP-API.md}) and {@code /}, a live dashboard pushed
 * over a WebSocket ({@code /ws}). It runs beside a {@link Mailman} on a thread of its own and reads
 * the mailman's figures only when asked, and its streams' audio only while a dashboard is open:
 * the audio path does not wait for it.
 *
 * <pre>{@code
 * try (Mailman mailman = new Mailman(config).startAsync();
 *      MailmanHttp http = MailmanHttp.start(mailman)) {   // HTTP_PORT, HTTP_HOST from the config
 *     System.out.println("dashboard: " + http.url());
 *     mailman.awaitClose();
 * }
 * }</pre>
 *
 * <p>Bound to loopback unless {@code HTTP_HOST} says otherwise. When the mailman requires a token
 * (TOKEN, PROCESSOR_TOKEN or RECORDER_TOKEN), so does every request here: {@code Authorization:
 * Bearer TOKEN}, or {@code ?token=TOKEN} in the URL (what a browser can do; the dashboard then
 * takes it out of the address bar). With {@code TLS_CERT}/{@code TLS_KEY} it speaks HTTPS with the
 * same certificate. Thread-safe; {@link #close()} stops it (not the mailman).
 */
public final class MailmanHttp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailmanHttp.class);
    private final EventLoopGroup loop;
    private final Channel server;
    private final DashboardFeed feed;
    private final boolean tls;
    private final String token;

    private MailmanHttp(EventLoopGroup loop, Channel server, DashboardFeed feed, boolean tls, String token) {
        this.loop = loop;
        this.server = server;
        this.feed = feed;
        this.tls = tls;
        this.token = token;
    }

    /**
     * Serves {@code mailman}'s HTTP side on its configuration's {@code HTTP_PORT} and
     * {@code HTTP_HOST} (port 0 picks a free one).
     *
     * @throws IllegalArgumentException if the configuration has no HTTP port ({@code HTTP_PORT} -1)
     * @throws UncheckedIOException if the address cannot be bound, naming it and what to do
     */
    public static MailmanHttp start(Mailman mailman) {
        Monitoring m = mailman.config().monitoring();
        if (!m.httpEnabled()) {
            throw new IllegalArgumentException("no HTTP_PORT in the configuration: set HTTP_PORT (0 for any free port) or use "
                    + "start(mailman, port)");
        }
        return start(mailman, m.httpHost(), m.httpPort());
    }

    /**
     * Serves {@code mailman}'s HTTP side on {@code host}:{@code port} (port 0 picks a free one).
     *
     * @throws UncheckedIOException if the address cannot be bound, naming it and what to do
     */
    public static MailmanHttp start(Mailman mailman, String host, int port) {
        Objects.requireNonNull(mailman, "mailman == null");
        NetworkConfig config = mailman.config();
        SslContext ssl = config.security().serverTls() ? TlsContexts.server(config.security()) : null;
        HttpToken token = HttpToken.of(config.security());
        EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("mailman-http"));
        MailmanMetrics metrics = new MailmanMetrics(mailman);
        DashboardFeed feed = new DashboardFeed(mailman);
        ServerBootstrap b = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, HttpInitializer.WATER_MARK)
                .childHandler(new HttpInitializer(mailman, metrics, feed, token, ssl));
        Channel server;
        try {
            server = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            feed.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new UncheckedIOException(new IOException("mailman cannot serve HTTP on " + host + ":" + port + " (" + e.getMessage()
                    + "): choose another HTTP_PORT (--http-port; 0 picks a free one) or HTTP_HOST", e));
        }
        MailmanHttp http = new MailmanHttp(loop, server, feed, ssl != null, token.secret());
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        log.info("mailman HTTP side on {}: dashboard {}, metrics {}/metrics, status {}/api/status{}", bound,
                http.url(), http.base(), http.base(), token.required() ? " (token required)" : "");
        if (!bound.getAddress().isLoopbackAddress() && !token.required()) {
            log.warn("*** the mailman's dashboard and status are reachable from other machines WITHOUT A TOKEN on {}: anyone who "
                    + "can reach it sees every stream. Set TOKEN (or AUDIOSOCKETS_TOKEN) ***", bound);
        }
        return http;
    }

    /**
     * The token the HTTP side of a mailman with {@code security} requires, or "" for none: the
     * processors' token (PROCESSOR_TOKEN, else TOKEN), or RECORDER_TOKEN when it is the only one.
     */
    public static String tokenFor(Security security) {
        return HttpToken.of(security).secret();
    }

    /** The port served. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The dashboard's address, with the token when one is required: what to open in a browser. */
    public String url() {
        return base() + "/" + (token.isEmpty() ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** {@code http://host:port} (or https), without a path. */
    public String base() {
        InetSocketAddress a = (InetSocketAddress) server.localAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (tls ? "https" : "http") + "://" + host + ":" + a.getPort();
    }

    /** Stops serving: closes every HTTP and dashboard connection. The mailman carries on. Idempotent. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        feed.close();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
