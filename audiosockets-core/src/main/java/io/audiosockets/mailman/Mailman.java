package io.audiosockets.mailman;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.channel.ChannelSettings;
import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.config.ConfigLoader;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.logging.LoggingSetup;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.tls.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailman: the server every recorder and processor connects to (the paper's
 * {@code MailmanSocket}). It fans every recorder's chunks out to every processor subscribed to
 * the stream, each at its own pace, and holds nothing up: a recorder's chunk is acknowledged as
 * soon as the mailman holds it.
 *
 * <pre>{@code
 * Mailman mailman = new Mailman(ConfigLoader.load(Path.of("server_info.json")));
 * mailman.start();          // blocks until close(), like the paper's
 *
 * try (Mailman m = new Mailman(config).startAsync()) {   // or run it in the background
 *     int port = m.port();
 * }
 * }</pre>
 *
 * <p>Without {@code SERVER} in the configuration it listens on loopback only, and says so.
 *
 * <p>Thread-safe. Network work runs on Netty event loops owned by this object: one accepts,
 * the others (one per core) serve connections; {@link #close()} stops them.
 *
 * <p>What it is doing can be read while it runs: {@link #stats()} (counters), {@link #status()}
 * (every stream, recorder and processor with its figures, and the recent events) and
 * {@link #addEventListener} (joins, leaves, gaps, lag, refusals as they happen). The
 * {@code audiosockets-http} module serves them as metrics, JSON and a live dashboard.
 */
public final class Mailman implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mailman.class);
    /** The name the mailman gives itself in WELCOME frames. */
    public static final String SERVER_NAME = "audiosockets-mailman/0.1";
    /** How many recent events {@link MailmanStatus#recentEvents()} holds: {@value}. */
    public static final int RECENT_EVENTS = 100;

    private final NetworkConfig config;
    private final MailmanContext context;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Instant startedAt;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /** A mailman with this configuration; nothing happens until {@link #start()} or {@link #startAsync()}. */
    public Mailman(NetworkConfig config) {
        this(config, Ticker.system());
    }

    /**
     * A mailman that reads the time for its decisions (retention after a recorder left, the join
     * point of {@code RESUME}) from {@code ticker} instead of the system clock: for tests that run
     * retention in virtual time. Everything else is as {@link #Mailman(NetworkConfig)}.
     */
    public Mailman(NetworkConfig config, Ticker ticker) {
        this.config = Objects.requireNonNull(config, "config == null");
        this.context = new MailmanContext(config, new DefaultChannelGroup("mailman", GlobalEventExecutor.INSTANCE), SERVER_NAME,
                Objects.requireNonNull(ticker, "ticker == null"));
    }

    /**
     * A mailman configured by a JSON file, as the paper's {@code MailmanSocket("server_info.json")}.
     *
     * @throws io.audiosockets.config.ConfigException naming the file and key at fault
     */
    public static Mailman fromFile(Path configFile) {
        NetworkConfig config = ConfigLoader.load(configFile);
        LoggingSetup.applyIfDefault(config);
        return new Mailman(config);
    }

    /**
     * Binds and serves in the background; returns once the mailman is listening.
     *
     * @throws UncheckedIOException if the address cannot be bound (in use, not local), naming it
     * @throws IllegalStateException if already started
     */
    public synchronized Mailman startAsync() {
        if (boss != null) {
            throw new IllegalStateException("mailman already started");
        }
        // Before any thread starts: a bad certificate is a configuration error, reported as such.
        SslContext tls = config.security().serverTls() ? TlsContexts.server(config.security()) : null;
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("mailman-accept"));
        // One loop per core, not Netty's two: the loops never block, so a second one per core only adds switches
        // (250 real-time streams, 2 cores: 0.71-0.76 cores and 57-61 us per delivery against 0.89-0.91 and 71-73; BENCHMARKS.md).
        workers = new NioEventLoopGroup(Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("mailman-io"));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ChannelSettings.WRITE_BUFFER_WATER_MARK)
                .childHandler(new MailmanInitializer(context, tls));
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        try {
            serverChannel = b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            shutdownLoops();
            boss = null;
            throw new UncheckedIOException(new IOException(bindFailure(address, e), e));
        }
        long sweep = sweepPeriodMillis(config.retention());
        workers.next().scheduleWithFixedDelay(this::forgetQuietStreams, sweep, sweep, TimeUnit.MILLISECONDS);
        if (!config.monitoring().lagWarn().isZero()) {
            workers.next().scheduleWithFixedDelay(this::reportLag, LAG_CHECK_MILLIS, LAG_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
        startedAt = Instant.now();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        if (config.server().isEmpty()) {
            log.info("mailman listening on {}:{} (loopback only, since SERVER is not set; set SERVER to an address of "
                    + "this machine, or 0.0.0.0 for every interface, to accept other machines)", config.host(), bound.getPort());
        } else if (bound.getAddress().isAnyLocalAddress()) {
            log.info("mailman listening on every interface, port {} (SERVER={})", bound.getPort(), config.host());
        } else {
            log.info("mailman listening on {}:{}", config.host(), bound.getPort());
        }
        log.info("mailman keeps up to {} s or {} of each stream (RETENTION_SECONDS, RETENTION_BYTES) and at most {} of all "
                + "streams together (RETENTION_MAX_BYTES{}); beyond that it lets go of what arrived first, with exact gaps",
                config.retention().toMillis() / 1000.0, mib(config.retentionBytes()), mib(context.registry.budget().maxBytes()),
                config.limits().retentionMaxBytes() > 0 ? "" : ": half of the JVM's direct memory, -XX:MaxDirectMemorySize");
        if (config.security().serverTls()) {
            log.info("mailman speaks TLS only (certificate {})", config.security().tlsCert().get());
        }
        if (!bound.getAddress().isLoopbackAddress() && !config.security().anyToken()) {
            log.warn("*** mailman reachable from other machines WITHOUT A TOKEN: anyone who can reach {}:{} can inject audio "
                    + "and read every stream. Set TOKEN in the config file or AUDIOSOCKETS_TOKEN in the environment "
                    + "(and TLS_CERT/TLS_KEY on an untrusted network); see the README's Security section ***",
                    config.host(), bound.getPort());
        }
        return this;
    }

    /**
     * How often to look for streams to forget: a quarter of the retention, so a stream goes at most
     * 25% late, within 50 ms..1 s (a few thousand map entries a second cost nothing).
     */
    static long sweepPeriodMillis(Duration retention) {
        return Math.max(50, Math.min(1000, retention.toMillis() / 4));
    }

    // On an event loop, every sweepPeriodMillis of real time, deciding by the ticker's time. Never throws: a periodic task that throws is never run again.
    private void forgetQuietStreams() {
        try {
            for (StreamLog forgotten : context.registry.forgetQuietStreams(context.ticker.nanoTime())) {
                context.stats.streamsForgotten.increment();
                long next = forgotten.nextSeq();
                context.events.record(MailmanEvent.Kind.STREAM_FORGOTTEN, forgotten.stream(), forgotten.stream(),
                        "forgotten after " + config.retention().toMillis() / 1000.0 + " s without its recorder");
                log.info("stream '{}' forgotten: its recorder left and nothing came or went for {} s (RETENTION_SECONDS){}",
                        forgotten.stream(), config.retention().toMillis() / 1000.0,
                        next < 0 ? "" : "; a recorder of that name will continue from seq " + next);
            }
        } catch (RuntimeException e) {
            log.error("looking for streams to forget failed (a bug; streams are kept meanwhile, which costs memory only)", e);
        }
    }

    /** How often processors are checked for lag (LAG_WARN_SECONDS): every second. */
    private static final long LAG_CHECK_MILLIS = 1000;

    // On an event loop, every second: each processor checks itself on its own loop. Never throws (see above).
    private void reportLag() {
        try {
            long warnNanos = config.monitoring().lagWarn().toNanos();
            for (ProcessorSession p : context.registry.sessions().processors()) {
                p.eventLoop().execute(() -> p.reportLag(context.ticker.nanoTime(), warnNanos));
            }
        } catch (RuntimeException e) {
            log.error("looking for processors that fall behind failed (a bug; delivery is not affected)", e);
        }
    }

    // What went wrong and what to do: an address of another machine and a port in use look alike
    // in a BindException, and the remedies differ.
    private String bindFailure(InetSocketAddress address, Exception e) {
        String message = String.valueOf(e.getMessage());
        String where = "mailman cannot listen on " + config.host() + ":" + config.port() + (e.getMessage() == null ? ": "
                : " (" + message + "): ");
        if (address.isUnresolved()) {
            return where + "cannot resolve the host name '" + config.host() + "'; set SERVER (or --host) to a name or address "
                    + "of this machine";
        }
        boolean inUse = message.contains("in use");
        boolean local = address.getAddress().isAnyLocalAddress() || address.getAddress().isLoopbackAddress();
        try {
            local |= NetworkInterface.getByInetAddress(address.getAddress()) != null;
        } catch (SocketException unknown) {
            local = true; // cannot tell: the port is the likelier cause
        }
        if (!inUse && (!local || message.contains("assign requested address"))) {
            return where + "address not available: " + address.getAddress().getHostAddress() + " is not an address of this "
                    + "machine. Set SERVER (or --host) to one of its addresses (`ip addr` lists them), or to 0.0.0.0 for every "
                    + "interface; clients then connect to the address of this machine";
        }
        if (message.contains("ermission denied")) {
            return where + "ports below 1024 need privileges: choose another PORT (1024 or above)";
        }
        return where + "port " + config.port() + " is already in use on " + config.host() + ": is another mailman (or "
                + "another program) listening there? Stop it, or choose another PORT (0 picks a free one)";
    }

    /**
     * Binds and serves until {@link #close()} is called from another thread or the JVM exits,
     * like the paper's {@code mailman.start()}.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public void start() {
        startAsync();
        awaitClose();
    }

    /** Blocks until the mailman is closed; returns at once if it is. Restores the interrupt flag if interrupted. */
    public void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address the mailman listens on. @throws IllegalStateException if not started */
    public InetSocketAddress localAddress() {
        if (serverChannel == null) {
            throw new IllegalStateException("mailman not started");
        }
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The port the mailman listens on (useful with {@code PORT} 0). */
    public int port() {
        return localAddress().getPort();
    }

    /** The configuration. */
    public NetworkConfig config() {
        return config;
    }

    /** Live counters. */
    public MailmanStats stats() {
        return context.stats;
    }

    /** Names of the processors registered now. */
    public List<String> processors() {
        return context.registry.processorNames();
    }

    /** Names of the streams whose recorder is connected now. */
    public List<String> recorders() {
        return context.registry.recorderStreams();
    }

    /**
     * Names of the streams this mailman keeps a log for: those with a recorder, and those whose
     * recorder left less than the retention ago (after that a stream is forgotten).
     */
    public List<String> streams() {
        return context.registry.streamNames();
    }

    /**
     * Every stream, recorder and processor with its figures, the counters and the recent events,
     * taken now. Each connection's figures are read on the event loop that owns it, so this waits
     * for those loops (briefly); a connection that closes meanwhile is left out.
     *
     * @throws IllegalStateException if called on one of this mailman's event loops (use {@link #statusAsync()}),
     *         or if the loops did not answer within 5 s
     */
    public MailmanStatus status() {
        if (onOwnEventLoop()) {
            throw new IllegalStateException("Mailman.status() waits for the event loops: call statusAsync() from an event loop");
        }
        try {
            return statusAsync().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the mailman's status", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the mailman's event loops did not report their connections within 5 s", e);
        }
    }

    // Whether the caller is one of this mailman's loops, which status() would wait for: any of them, not one picked.
    private boolean onOwnEventLoop() {
        EventLoopGroup w = workers;
        if (w == null) {
            return false;
        }
        for (EventExecutor e : w) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** {@link #status()} without waiting: completes once every connection's loop has reported. */
    public CompletableFuture<MailmanStatus> statusAsync() {
        Registry.Sessions sessions = context.registry.sessions();
        long now = context.ticker.nanoTime();
        List<StreamStatus> streams = new ArrayList<>();
        for (StreamLog l : sessions.logs()) {
            streams.add(l.status(now, sessions.recorderStreams().contains(l.stream())));
        }
        streams.sort(Comparator.comparing(StreamStatus::name));
        List<CompletableFuture<RecorderStatus>> recorders = new ArrayList<>();
        for (RecorderSession r : sessions.recorders()) {
            recorders.add(onLoop(r, r::status));
        }
        List<CompletableFuture<ProcessorStatus>> processors = new ArrayList<>();
        for (ProcessorSession p : sessions.processors()) {
            processors.add(onLoop(p, () -> p.status(now)));
        }
        List<CompletableFuture<?>> all = new ArrayList<>(recorders);
        all.addAll(processors);
        Instant started = startedAt;
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            Instant at = Instant.now();
            return new MailmanStatus(at, SERVER_NAME, started == null ? Duration.ZERO : Duration.between(started, at),
                    context.stats.snapshot(), streams,
                    reported(recorders, Comparator.comparing(RecorderStatus::stream)),
                    reported(processors, Comparator.comparing(ProcessorStatus::name)), context.events.recent());
        });
    }

    // The session's figures, read on the loop that owns it; fails if that loop no longer runs.
    private static <T> CompletableFuture<T> onLoop(NamedSession session, Supplier<T> read) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            session.eventLoop().execute(() -> {
                try {
                    f.complete(read.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private static <T> List<T> reported(List<CompletableFuture<T>> futures, Comparator<T> order) {
        List<T> out = new ArrayList<>(futures.size());
        for (CompletableFuture<T> f : futures) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                out.add(f.join());
            }
        }
        out.sort(order);
        return out;
    }

    /**
     * Calls {@code listener} with every event from now on (joins, leaves, gaps, lag, refusals). It
     * runs on the thread where the event happened, often an event loop: it must return at once
     * (hand the event to a queue of its own); an exception it throws is logged and ignored.
     */
    public void addEventListener(Consumer<MailmanEvent> listener) {
        context.events.addListener(Objects.requireNonNull(listener, "listener == null"));
    }

    /** Stops calling {@code listener}. */
    public void removeEventListener(Consumer<MailmanEvent> listener) {
        context.events.removeListener(listener);
    }

    /**
     * Copies of the newest retained audio chunks of {@code stream} after sequence number
     * {@code afterSeq}, at most {@code max}, oldest first: for a watcher such as a level meter or a
     * spectrogram, off the audio path (nothing is delivered or acknowledged). Empty if the mailman
     * keeps no such stream, or it carries results.
     */
    public List<AudioChunk> recentAudio(String stream, long afterSeq, int max) {
        StreamLog l = context.registry.existing(stream);
        return l == null || max <= 0 ? List.of() : l.audioAfter(afterSeq, max);
    }

    /**
     * Stops accepting, tells every client the mailman is shutting down (they will reconnect to
     * the next mailman), closes every connection, releases every buffer and stops the event loops.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (boss == null || closed.getCount() == 0) {
            return;
        }
        log.info("mailman shutting down: closing {} connections", context.channels.size());
        serverChannel.close().syncUninterruptibly();
        for (Channel ch : context.channels) {
            CloseReason.set(ch, "mailman shutting down");
            ch.writeAndFlush(new ErrorMessage(ErrorCode.SHUTTING_DOWN, "the mailman is shutting down; reconnect later"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        context.channels.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdownLoops();
        context.registry.close();
        closed.countDown();
    }

    private static String mib(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private void shutdownLoops() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
