package io.audiosockets.loadtest;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.http.MailmanHttp;
import io.audiosockets.mailman.Mailman;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The mailman a benchmark drives: one started in this JVM, one already running elsewhere
 * ({@code --connect}), or one this tool starts in a child JVM ({@code --fork}), so that the
 * mailman and the clients do not share a heap, a garbage collector or JIT threads. One this tool
 * starts may also serve its HTTP side ({@code bench --watch}): {@link #httpBase()}.
 *
 * <p>Thread-safe for reading; {@link #close()} once, by the owner.
 */
public final class MailmanTarget implements AutoCloseable {
    /** How long a forked mailman has to start listening. */
    private static final long FORK_START_MILLIS = 30_000;

    private final String host;
    private final int port;
    private final String description;
    private final NetworkConfig mailmanConfig;
    private final Mailman embedded;
    private final Process child;
    private final Path childConfig;
    private final Path gcLog;
    private MailmanHttp http;
    private String httpBase;
    private String httpToken = "";

    private MailmanTarget(String host, int port, String description, NetworkConfig mailmanConfig, Mailman embedded,
                          Process child, Path childConfig) {
        this(host, port, description, mailmanConfig, embedded, child, childConfig, null);
    }

    private MailmanTarget(String host, int port, String description, NetworkConfig mailmanConfig, Mailman embedded,
                          Process child, Path childConfig, Path gcLog) {
        this.host = host;
        this.port = port;
        this.description = description;
        this.mailmanConfig = mailmanConfig;
        this.embedded = embedded;
        this.child = child;
        this.childConfig = childConfig;
        this.gcLog = gcLog;
    }

    /**
     * A mailman started in this JVM on a free loopback port.
     *
     * @param config its configuration (its host and port are replaced by 127.0.0.1 and 0)
     */
    public static MailmanTarget embedded(NetworkConfig config) {
        return embedded(config, false);
    }

    /**
     * A mailman started in this JVM on a free loopback port, serving its HTTP side on another
     * if {@code withHttp} ({@code /metrics}, {@code /api/status}, the dashboard: {@link #httpBase()}).
     *
     * @param config its configuration (its host and port are replaced by 127.0.0.1 and 0)
     */
    public static MailmanTarget embedded(NetworkConfig config, boolean withHttp) {
        NetworkConfig own = config.toBuilder().server(NetworkConfig.LOOPBACK).port(0).build();
        Mailman m = new Mailman(own).startAsync();
        MailmanTarget target = new MailmanTarget(NetworkConfig.LOOPBACK, m.port(), "embedded mailman (this JVM), 127.0.0.1:" + m.port()
                + (withHttp ? " with its HTTP side" : ""), own, m, null, null);
        if (withHttp) {
            try {
                target.http = MailmanHttp.start(m, NetworkConfig.LOOPBACK, 0);
            } catch (RuntimeException e) {
                target.close();
                throw e;
            }
            target.httpBase = target.http.base();
            target.httpToken = MailmanHttp.tokenFor(own.security());
        }
        return target;
    }

    /** No mailman at all: for the baseline, which measures the raw relay only. */
    public static MailmanTarget none() {
        return new MailmanTarget(NetworkConfig.LOOPBACK, 0, "no mailman (the raw relay only)", NetworkConfig.defaults(), null, null, null);
    }

    /**
     * A mailman already running at {@code host:port}. Its retention is not known here: the
     * workloads assume {@code assumedConfig}'s (pass the mailman's own config file with {@code -c}).
     */
    public static MailmanTarget external(String host, int port, NetworkConfig assumedConfig) {
        return new MailmanTarget(host, port, "external mailman at " + host + ":" + port, assumedConfig, null, null, null);
    }

    /**
     * A mailman started in a child JVM on a free loopback port: {@code command} (the java
     * executable, its options, the class path and the main class of the audiosockets command)
     * followed by {@code server -c FILE}, where FILE holds {@code config}. Its output goes to
     * this process's stdout and stderr; its GC pauses to a file ({@code -Xlog:gc}, see
     * {@link #gcLog()}). Returns once it accepts connections.
     *
     * @throws IOException if it cannot be started or does not listen within 30 s
     */
    public static MailmanTarget forked(NetworkConfig config, List<String> command) throws IOException {
        return forked(config, command, false);
    }

    /**
     * As {@link #forked(NetworkConfig, List)}; if {@code withHttp}, the child also serves its HTTP
     * side on a free loopback port ({@code HTTP_PORT} in its config file; {@link #httpBase()}), and
     * this returns once that accepts connections too.
     *
     * @throws IOException if it cannot be started or does not listen within 30 s
     */
    public static MailmanTarget forked(NetworkConfig config, List<String> command, boolean withHttp) throws IOException {
        int port = freePort();
        NetworkConfig own = config.toBuilder().server(NetworkConfig.LOOPBACK).port(port).build();
        // An HTTP_PORT of the user's config file is not the tool's to serve: only --watch turns the HTTP side on.
        own = own.toBuilder().monitoring(own.monitoring().withHttpPort(withHttp ? freePort() : -1)
                .withHttpHost(NetworkConfig.LOOPBACK)).build();
        Path file = Files.createTempFile("audiosockets-bench-mailman", ".json");
        Files.writeString(file, configJson(own));
        Path gc = Files.createTempFile("audiosockets-bench-mailman-gc", ".log");
        List<String> full = new ArrayList<>(command);
        // After the executable, before the user's options: theirs may add -Xlog outputs of their own. No rotation
        // (filecount=0): the JVM would otherwise move the existing file aside at start, and the tool reads this one.
        full.add(1, "-Xlog:gc:file=" + gc + "::filecount=0");
        full.addAll(List.of("server", "-c", file.toString()));
        Process p = new ProcessBuilder(full).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int httpPort = own.monitoring().httpPort();
        MailmanTarget target = new MailmanTarget(NetworkConfig.LOOPBACK, port, "mailman in a child JVM (pid " + p.pid() + "), 127.0.0.1:"
                + port + (withHttp ? ", HTTP side on 127.0.0.1:" + httpPort : ""), own, null, p, file, gc);
        try {
            target.awaitListening(port);
            if (withHttp) {
                target.awaitListening(httpPort);
                target.httpBase = "http://" + NetworkConfig.LOOPBACK + ":" + httpPort;
            }
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    private void awaitListening(int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORK_START_MILLIS);
        while (true) {
            if (!child.isAlive()) {
                throw new IOException("the forked mailman exited with status " + child.exitValue() + " (its log is above)");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the forked mailman did not listen on " + host + ":" + port + " within "
                            + FORK_START_MILLIS / 1000 + " s");
                }
            }
            try {
                child.waitFor(50, TimeUnit.MILLISECONDS); // returns early only if it died
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the forked mailman");
            }
        }
    }

    /** The keys of {@code c} a mailman reads, as a server_info.json. */
    static String configJson(NetworkConfig c) {
        return String.format(Locale.ROOT, "{\n  \"SERVER\": \"%s\",\n  \"PORT\": %d,\n  \"MAX_FRAME_BYTES\": %d,\n"
                        + "  \"RETENTION_SECONDS\": %.3f,\n  \"RETENTION_BYTES\": %d,\n  \"HEARTBEAT_SECONDS\": %.3f,\n"
                        + "  \"HEARTBEAT_TIMEOUT_SECONDS\": %.3f,\n  \"ACK_DELAY_MILLIS\": %d,\n%s  \"logging_level\": \"%s\"\n}\n",
                c.host(), c.port(), c.maxFrameBytes(), c.retention().toMillis() / 1000.0, c.retentionBytes(),
                c.heartbeat().toMillis() / 1000.0, c.heartbeatTimeout().toMillis() / 1000.0, c.ackDelay().toMillis(),
                c.monitoring().httpEnabled() ? String.format(Locale.ROOT, "  \"HTTP_PORT\": %d,\n  \"HTTP_HOST\": \"%s\",\n",
                        c.monitoring().httpPort(), c.monitoring().httpHost()) : "",
                c.loggingLevel().name().toLowerCase(Locale.ROOT));
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** {@code base} pointed at this mailman. */
    public NetworkConfig clientConfig(NetworkConfig base) {
        return base.toBuilder().server(host).port(port).build();
    }

    /** The mailman's configuration (for an external one: the one assumed). */
    public NetworkConfig mailmanConfig() {
        return mailmanConfig;
    }

    /** Host the clients connect to. */
    public String host() {
        return host;
    }

    /** Port the clients connect to. */
    public int port() {
        return port;
    }

    /** The mailman object, when it runs in this JVM. */
    public Optional<Mailman> embedded() {
        return Optional.ofNullable(embedded);
    }

    /** The child process, when forked. */
    public Optional<ProcessHandle> process() {
        return Optional.ofNullable(child).map(Process::toHandle);
    }

    /** The forked mailman's GC log ({@code -Xlog:gc}), when forked. */
    public Optional<Path> gcLog() {
        return Optional.ofNullable(gcLog);
    }

    /**
     * {@code http://127.0.0.1:PORT} of the mailman's HTTP side, when this tool started the mailman
     * with it ({@code --watch}); empty otherwise.
     */
    public Optional<String> httpBase() {
        return Optional.ofNullable(httpBase);
    }

    /** The token the HTTP side requires, or "" for none (a forked mailman's config file has no token). */
    public String httpToken() {
        return httpToken;
    }

    /** One line for the report. */
    public String describe() {
        return description;
    }

    /** Stops the mailman if this tool started it (a child gets SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        if (child != null) {
            child.destroy();
            try {
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.destroyForcibly();
            }
        }
        if (childConfig != null) {
            try {
                Files.deleteIfExists(childConfig);
                if (gcLog != null) {
                    Files.deleteIfExists(gcLog);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
