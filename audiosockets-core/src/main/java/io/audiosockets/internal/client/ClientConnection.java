package io.audiosockets.internal.client;

import io.audiosockets.client.ConnectionInfo;
import io.audiosockets.client.ClientListener;
import io.audiosockets.client.MailmanException;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.channel.ChannelSettings;
import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.channel.ControlFrameHandler;
import io.audiosockets.internal.channel.TlsFailure;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.ProtocolException;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.internal.protocol.codec.FrameDecoder;
import io.audiosockets.internal.protocol.codec.FrameEncoder;
import io.audiosockets.internal.tls.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection to the mailman: connects, handshakes, heartbeats, and reconnects every
 * {@code RECONNECT_SECONDS} (the paper's 1 Hz, on average: each wait is drawn from 80 % to
 * 120 % of it, see {@link ReconnectDelay}) whenever the mailman is away, until
 * {@link #close()}. Recorders and processors are built on it; what they do with the connection
 * is in their {@link Callbacks}.
 *
 * <p>Logging: the first failed attempt is a WARN naming the address; later attempts are DEBUG,
 * with an INFO every 30 attempts, so a mailman that is down for an hour costs a screenful, not a
 * disk. A refused name ({@code NAME_IN_USE}) is a WARN at the first refusal saying what to do,
 * then every 30.
 *
 * <p>Its life is a {@link ConnectionState}, which says which transitions there are; the
 * connection moves it only along them, so nothing reconnects once {@link #close()} has begun or
 * the mailman has refused the client for good.
 *
 * <p>Thread ownership: all connection state and every callback run on one event loop, the
 * same across reconnects, so a recorder's or processor's connection state needs no lock. The
 * exception is the {@link ConnectionState}, which {@link #close()} moves from its caller's thread
 * (hence atomic). {@link #start()}, {@link #close()} and the getters may be called from any thread.
 */
public final class ClientConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final FrameEncoder ENCODER = new FrameEncoder();
    /** How long {@link #close()} waits for the mailman to answer BYE. */
    public static final Duration BYE_TIMEOUT = Duration.ofSeconds(2);
    /** A failure that repeats is reported at the first time and then once every this many times. */
    private static final int REPORT_EVERY = 30;

    /**
     * What a recorder or processor does with its connection. Every method runs on the
     * connection's event loop and must not block.
     */
    public interface Callbacks {
        /** The HELLO for the next attempt (it may carry positions that changed since the last one). */
        Hello hello();

        /** The handshake succeeded on {@code channel}. */
        void onWelcome(Channel channel, Welcome welcome, boolean reconnect);

        /** A frame after the handshake, other than PING, PONG, BYE and ERROR. Takes ownership (release it). */
        void onMessage(Channel channel, Message message);

        /** The welcomed connection is gone. */
        void onDisconnected();

        /** The channel became writable again after back-pressure. */
        default void onWritable(Channel channel) {
        }

        /**
         * Whether this client can work with a mailman of protocol version 1, with a version-1 HELLO,
         * when its own HELLO is of a later version (true: a processor then gets no result streams, a recorder
         * does not report chunks dropped before its first one; false: a publisher, which needs version 2,
         * stops for good with the mailman's UNSUPPORTED_VERSION). Going down from version 3 to 2 is
         * always possible: version 3 only lets the mailman hold back ACKs.
         */
        default boolean worksWithVersion1() {
            return true;
        }
    }

    private final String label;
    private final NetworkConfig config;
    private final EventLoopGroup ownedGroup;
    private final EventLoop loop;
    private final Callbacks callbacks;
    private final ClientListener listener;
    private final Bootstrap bootstrap;
    private final ReconnectDelay reconnectDelay;
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.NEW);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<ConnectionInfo> firstWelcome = new CompletableFuture<>();
    /** Completed when the mailman answers the BYE of {@link #close()}. */
    private final CompletableFuture<Void> byeAnswered = new CompletableFuture<>();
    /** The channel of the current attempt, whatever its state; {@code null} between attempts. */
    private volatile Channel channel;
    /**
     * The channel the callbacks were told of ({@link Callbacks#onWelcome}) and not yet told is gone
     * ({@link Callbacks#onDisconnected}): set in OPEN, and kept through CLOSING until it closes, so
     * that what a client still sends while closing (a processor's last ACKs) goes before the BYE.
     * Written on the loop only.
     */
    private volatile Channel welcomedChannel;
    // Event-loop confined:
    /** WELCOMEs received: any after the first is a reconnect. */
    private long welcomes;
    /**
     * The highest protocol version to offer in HELLO: lowered by one each time a mailman of an older
     * version refuses the HELLO before any WELCOME (PROTOCOL.md §7), so that a client that can do
     * without what the later versions add still reaches it; back to the newest when a welcomed
     * connection ends. Event-loop confined.
     */
    private int versionCap = FrameCodec.VERSION;
    /** The version of the HELLO that was welcomed last. */
    private volatile int protocolVersion = 1;
    /**
     * Connection attempts in a row, since the last WELCOME, that found no mailman: numbers the log
     * lines about it, the first a WARN, every {@value #REPORT_EVERY}th an INFO.
     */
    private int unreachableAttempts;
    /** TLS handshakes in a row, since the last WELCOME, that failed: reported at the first and every {@value #REPORT_EVERY}th. */
    private int tlsFailures;
    /** NAME_IN_USE refusals in a row, since the last WELCOME: reported at the first and every {@value #REPORT_EVERY}th. */
    private int nameRefusals;

    /**
     * A connection, not yet started.
     *
     * @param label names the client in log lines, e.g. "processor 'VAD'"
     * @param config where the mailman is, timeouts, DISCONNECT_MSG
     * @param group an event loop group to share (the client uses one loop of it and does not shut
     *              it down), or {@code null} for a one-thread group of its own
     * @param callbacks the recorder's or processor's side
     * @param listener lifecycle events, or {@code null}
     */
    public ClientConnection(String label, NetworkConfig config, EventLoopGroup group, Callbacks callbacks, ClientListener listener) {
        this.label = Objects.requireNonNull(label, "label == null");
        this.config = Objects.requireNonNull(config, "config == null");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks == null");
        this.listener = listener != null ? listener : new ClientListener() { };
        this.ownedGroup = group == null ? new NioEventLoopGroup(1, new DefaultThreadFactory("audiosockets-client")) : null;
        this.loop = (group == null ? ownedGroup : group).next();
        this.reconnectDelay = ReconnectDelay.around(config.reconnectInterval());
        SslContext tls = config.security().clientTls() ? TlsContexts.client(config.security()) : null;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ChannelSettings.WRITE_BUFFER_WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", TlsContexts.clientHandler(tls, config.security(), ch.alloc(),
                                    config.host(), config.port()));
                        }
                        ch.pipeline()
                                .addLast("idle", ChannelSettings.idleStateHandler(config))
                                .addLast("decoder", new FrameDecoder(config.maxFrameBytes()))
                                .addLast("encoder", ENCODER)
                                .addLast("client", new Handler());
                    }
                });
    }

    /** Starts connecting in the background. Idempotent. */
    public void start() {
        loop.execute(() -> {
            if (state.get() == ConnectionState.NEW) {
                connect();
            }
        });
    }

    /** The event loop that runs this connection and its callbacks. */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The current channel if the handshake has succeeded, else {@code null}. */
    public Channel channelIfWelcomed() {
        return welcomedChannel;
    }

    /**
     * The protocol version of this connection: that of the HELLO the mailman welcomed (1 after a
     * fallback to a mailman of version 1; see {@link Callbacks#worksWithVersion1()}).
     */
    public int protocolVersion() {
        return protocolVersion;
    }

    /** True while connected and welcomed (until the welcomed connection has closed, also while closing). */
    public boolean isConnected() {
        return welcomedChannel != null;
    }

    /** Where the connection is in its life now. */
    ConnectionState state() {
        return state.get();
    }

    /**
     * Moves to {@code next} if the current state may ({@link ConnectionState#canMoveTo}); atomic,
     * since {@link #close()} moves the state from another thread.
     *
     * @return whether it moved
     */
    private boolean moveTo(ConnectionState next) {
        while (true) {
            ConnectionState now = state.get();
            if (!now.canMoveTo(next)) {
                return false;
            }
            if (state.compareAndSet(now, next)) {
                return true;
            }
        }
    }

    /** Completes with the first WELCOME. */
    public CompletableFuture<ConnectionInfo> firstWelcome() {
        return firstWelcome;
    }

    /** Completes when the client has stopped: normally after {@link #close()}, exceptionally with a {@link MailmanException}. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    // On the loop: from NEW (start) or WAITING_TO_RECONNECT (the timer).
    private void connect() {
        if (!moveTo(ConnectionState.CONNECTING)) {
            return; // closed meanwhile
        }
        bootstrap.connect(config.host(), config.port()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                onAttemptFailed(f.cause());
                return;
            }
            Channel ch = f.channel();
            // Published before the state moves: a close() that began meanwhile either sees this channel, or makes the move fail.
            channel = ch;
            ch.closeFuture().addListener(cf -> onChannelClosed(ch));
            if (!moveTo(ConnectionState.HANDSHAKING)) {
                ch.close();
                return;
            }
            Hello hello = callbacks.hello();
            ch.writeAndFlush(hello.version() > versionCap ? hello.withVersion(versionCap) : hello);
        });
    }

    private void onAttemptFailed(Throwable cause) {
        if (!moveTo(ConnectionState.WAITING_TO_RECONNECT)) {
            return; // closed while connecting: not a failure worth a warning
        }
        unreachableAttempts++;
        String where = config.host() + ":" + config.port();
        long every = config.reconnectInterval().toMillis();
        if (unreachableAttempts == 1) {
            log.warn("{}: mailman at {} not reachable ({}); retrying every {} s", label, where, cause.getMessage(), every / 1000.0);
        } else if (unreachableAttempts % REPORT_EVERY == 0) {
            log.info("{}: mailman at {} still not reachable after {} attempts ({})", label, where, unreachableAttempts,
                    cause.getMessage());
        } else {
            log.debug("{}: attempt {} to reach the mailman at {} failed: {}", label, unreachableAttempts, where, cause.getMessage());
        }
        scheduleReconnect();
    }

    // In WAITING_TO_RECONNECT; connect() does nothing if the connection is closed before the timer fires.
    private void scheduleReconnect() {
        loop.schedule(this::connect, reconnectDelay.nextNanos(), TimeUnit.NANOSECONDS);
    }

    private void onChannelClosed(Channel ch) {
        if (channel == ch) {
            channel = null;
        }
        boolean reconnect = moveTo(ConnectionState.WAITING_TO_RECONNECT); // not when closing or refused
        if (welcomedChannel == ch) {
            welcomedChannel = null;
            // The mailman that comes next may be another (restarted, upgraded): offer the newest version again. An old
            // one refuses it before any WELCOME, and the cap comes down again, a round trip per version.
            versionCap = FrameCodec.VERSION;
            callbacks.onDisconnected();
            String reason = CloseReason.of(ch, "connection closed");
            listener.onDisconnected(reason);
            if (reconnect) {
                log.warn("{}: lost the mailman ({}); reconnecting every {} s", label, reason,
                        config.reconnectInterval().toMillis() / 1000.0);
            }
        }
        if (reconnect) {
            scheduleReconnect();
        }
    }

    /**
     * Says goodbye and stops: sends BYE with {@code DISCONNECT_MSG}, waits up to
     * {@link #BYE_TIMEOUT} for the mailman's answer, closes the connection and stops
     * reconnecting. Idempotent. Called on the event loop itself it does not wait for the answer.
     */
    @Override
    public void close() {
        if (!moveTo(ConnectionState.CLOSING)) {
            awaitQuietly(terminated); // CLOSING or CLOSED: another caller closes it
            return;
        }
        Channel ch = channel;
        if (ch != null && ch.isActive() && ch == welcomedChannel) {
            ch.writeAndFlush(new Bye(config.disconnectMsg()));
            if (!loop.inEventLoop()) {
                try {
                    byeAnswered.get(BYE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    log.warn("{}: the mailman did not answer BYE within {} s; closing anyway", label, BYE_TIMEOUT.toSeconds());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // the answer cannot fail; nothing to do
                }
            }
        }
        if (ch != null) {
            ch.close();
            if (!loop.inEventLoop()) {
                ch.closeFuture().awaitUninterruptibly(BYE_TIMEOUT.toMillis());
            }
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (!loop.inEventLoop()) {
                ownedGroup.terminationFuture().awaitUninterruptibly(5_000);
            }
        }
        if (terminated.complete(null)) {
            listener.onClosed();
        }
        firstWelcome.completeExceptionally(new IllegalStateException(label + " closed before it connected"));
        moveTo(ConnectionState.CLOSED);
    }

    private void awaitQuietly(CompletableFuture<Void> f) {
        if (loop.inEventLoop()) {
            return;
        }
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // a fatal refusal, already reported through terminated()
        } catch (TimeoutException e) {
            log.warn("{}: close() by another thread did not finish within 5 s", label);
        }
    }

    /** The client end of the pipeline. Confined to the loop. */
    private final class Handler extends ControlFrameHandler {
        @Override
        protected void onFrame(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Welcome w) {
                onWelcome(ctx, w);
            } else if (ctx.channel() != welcomedChannel) {
                ReferenceCountUtil.release(msg);
                throw new ProtocolException(ErrorCode.HANDSHAKE_REQUIRED, "the mailman sent " + ((Message) msg).type() + " before WELCOME");
            } else {
                callbacks.onMessage(ctx.channel(), (Message) msg);
            }
        }

        private void onWelcome(ChannelHandlerContext ctx, Welcome w) {
            if (!moveTo(ConnectionState.OPEN)) {
                return; // closing meanwhile (or a second WELCOME): nobody is to be told of it
            }
            boolean reconnect = welcomes++ > 0;
            welcomedChannel = ctx.channel();
            protocolVersion = Math.min(callbacks.hello().version(), versionCap);
            unreachableAttempts = 0;
            tlsFailures = 0;
            nameRefusals = 0;
            log.info("{}: {} to {} at {}:{} (session #{})", label, reconnect ? "reconnected" : "connected", w.server(),
                    config.host(), config.port(), w.sessionId());
            callbacks.onWelcome(ctx.channel(), w, reconnect);
            ConnectionInfo info = new ConnectionInfo(w.server(), w.sessionId(), w.maxFrameBytes(),
                    Duration.ofMillis(w.heartbeatMillis()), w.lastSeq());
            listener.onConnected(info, reconnect);
            firstWelcome.complete(info);
        }

        @Override
        protected void onBye(ChannelHandlerContext ctx, Bye bye) {
            if (state.get().stopping()) {
                byeAnswered.complete(null);
            } else {
                CloseReason.set(ctx.channel(), "the mailman said goodbye");
                ctx.writeAndFlush(new Bye(config.disconnectMsg()));
            }
            ctx.close();
        }

        @Override
        protected String onSilent(ChannelHandlerContext ctx) {
            return "mailman silent for " + config.heartbeatTimeout().toMillis() / 1000.0 + " s (HEARTBEAT_TIMEOUT_SECONDS)";
        }

        @Override
        protected void onError(ChannelHandlerContext ctx, ErrorMessage e) {
            boolean welcomed = ctx.channel() == welcomedChannel;
            int offered = Math.min(callbacks.hello().version(), versionCap);
            if (e.code() == ErrorCode.UNSUPPORTED_VERSION && !welcomed && offered > 1
                    && (offered > 2 || callbacks.worksWithVersion1())) {
                // A mailman of an older version: offer one less from now on, and do without what the newer adds.
                versionCap = offered - 1;
                log.warn("{}: the mailman at {}:{} does not speak protocol version {} ({}); connecting with version {}: {}",
                        label, config.host(), config.port(), offered, e.message(), versionCap, versionCap == 2
                                ? "one ACK per read batch (PROTOCOL.md §5.2) until it is upgraded"
                                : "without what version 2 adds (a processor gets no result streams, §9; a recorder does not report "
                                        + "chunks dropped before its first one, §4.6) until it is upgraded");
                CloseReason.set(ctx.channel(), "mailman of protocol version " + versionCap + " or older");
                ctx.close();
                return;
            }
            boolean fatal = e.code().clientFault() && e.code() != ErrorCode.NAME_IN_USE;
            CloseReason.set(ctx.channel(), "mailman sent ERROR " + e.code() + ": " + e.message());
            listener.onMailmanError(e.code(), e.message(), fatal);
            if (fatal) {
                log.error("{}: the mailman refused us: {} ({}). Not retrying: fix the configuration and start again",
                        label, e.message(), e.code());
                moveTo(ConnectionState.REFUSED); // unless closing already
                MailmanException ex = new MailmanException(e.code(), label + ": the mailman refused: " + e.message() + " (" + e.code() + ")");
                firstWelcome.completeExceptionally(ex);
                if (terminated.completeExceptionally(ex)) {
                    listener.onClosed();
                }
            } else if (e.code() == ErrorCode.NAME_IN_USE) {
                // Said at the first refusal: a second program started under the same name would otherwise wait silently.
                if (nameRefusals++ % REPORT_EVERY == 0) {
                    log.warn("{}: refused, the name is held by another live client ({}). Give this one another name (--name for a "
                                    + "processor, --stream for a recorder, or the name given in code) or stop the other one. Retrying "
                                    + "every {} s meanwhile (refused {} time(s) so far), in case the holder is a dead connection the "
                                    + "mailman has not timed out yet", label, e.message(), config.reconnectInterval().toMillis() / 1000.0,
                            nameRefusals);
                }
            } else {
                log.warn("{}: mailman sent ERROR {}: {}", label, e.code(), e.message());
            }
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
                if (tlsFailures++ % REPORT_EVERY == 0) {
                    log.error("{}: TLS handshake with the mailman at {}:{} failed: {}. Check TLS_FINGERPRINT or TLS_CA (and that the "
                                    + "mailman speaks TLS); retrying every {} s", label, config.host(), config.port(),
                            TlsFailure.rootMessage(tls.cause()), config.reconnectInterval().toMillis() / 1000.0);
                }
                CloseReason.set(ctx.channel(), "TLS handshake failed: " + TlsFailure.rootMessage(tls.cause()));
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && ctx.channel() == welcomedChannel) {
                callbacks.onWritable(ctx.channel());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (TlsFailure.of(cause) != null) {
                ctx.close(); // reported once by the handshake event
                return;
            }
            if (cause instanceof ProtocolException p) {
                log.warn("{}: protocol error from the mailman: {}; reconnecting", label, p.getMessage());
                CloseReason.set(ctx.channel(), "protocol error: " + p.getMessage());
                ctx.writeAndFlush(new ErrorMessage(p.code(), p.getMessage())).addListener(ChannelFutureListener.CLOSE);
            } else if (cause instanceof IOException) {
                CloseReason.set(ctx.channel(), cause.getMessage());
                ctx.close();
            } else {
                log.error("{}: unexpected error; reconnecting", label, cause);
                CloseReason.set(ctx.channel(), "internal error: " + cause);
                ctx.close();
            }
        }
    }
}
