package io.audiosockets.kafka;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process) on
 * 127.0.0.1, run in a child JVM from the classpath the build resolved from Maven Central
 * (audiosockets-kafka/broker writes it to {@code target/kafka-broker.classpath}; surefire passes
 * the file as {@code kafka.broker.classpath.file}). A child process, so that a test can stop it
 * (SIGTERM), kill it (SIGKILL) and start it again on the same ports and the same data, as a real
 * outage would. Its output goes to {@code target/kafka-broker-N.log}.
 *
 * <p>{@link #close()} kills it and deletes its data; a shutdown hook kills every broker still
 * running when the test JVM ends, so that none outlives a failed or interrupted run.
 */
public final class KafkaBroker implements AutoCloseable {
    /** How long a start may take on a busy 2-core machine before it counts as failed (a start is about 5-15 s). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_TAIL_LINES = 40;
    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kafka-broker-reaper"));
    }

    private final List<String> classpath;
    private final Path dir;
    private final Path logFile;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(List<String> classpath, Path dir, Path logFile, int port, int controllerPort) {
        this.classpath = classpath;
        this.dir = dir;
        this.logFile = logFile;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * A new broker on two free loopback ports with a freshly formatted log directory, started and
     * ready (a client's describeCluster succeeded).
     */
    public static KafkaBroker startNew() throws IOException, InterruptedException {
        KafkaBroker broker = create();
        try {
            broker.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** A new broker on two free loopback ports with a freshly formatted log directory, not started. */
    public static KafkaBroker create() throws IOException, InterruptedException {
        List<String> classpath = brokerClasspath();
        Path logDir = Path.of(System.getProperty("kafka.broker.log.dir", "target"));
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve("kafka-broker-" + ProcessHandle.current().pid() + "-" + NEXT_ID.getAndIncrement() + ".log");
        Path dir = Files.createTempDirectory("kafka-broker-");
        KafkaBroker broker = new KafkaBroker(classpath, dir, logFile, freePort(), freePort());
        try {
            broker.writeConfig();
            broker.format();
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private static List<String> brokerClasspath() throws IOException {
        String file = System.getProperty("kafka.broker.classpath.file");
        if (file == null) {
            throw new IllegalStateException("system property kafka.broker.classpath.file is not set: run the test through Maven "
                    + "(mvn verify -pl audiosockets-kafka -am), whose surefire configuration passes the broker's classpath file");
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the Kafka broker's classpath file " + path + " does not exist: build the module "
                    + "audiosockets-kafka/broker first (mvn verify -pl audiosockets-kafka -am writes it)");
        }
        String cp = Files.readString(path, StandardCharsets.UTF_8).trim();
        return List.of(cp.split(java.io.File.pathSeparator));
    }

    /** A port nothing listens on now; the broker binds it moments later, and keeps it across restarts. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void writeConfig() throws IOException {
        String config = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                // One node: every internal topic has one replica, and few partitions, so that a first group join is quick.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=1",
                // Small segments, so that a test of retention (data Kafka no longer has) needs little data.
                "log.segment.bytes=1048576",
                "log.retention.check.interval.ms=1000",
                "")
                + "\n";
        Files.writeString(dir.resolve("server.properties"), config, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                "logger.apache.name=org.apache.kafka",
                "logger.apache.level=INFO",
                ""), StandardCharsets.UTF_8);
    }

    /** Formats the log directory for a new cluster id, as {@code kafka-storage.sh format} does. */
    private void format() throws IOException, InterruptedException {
        Process formatter = launch("kafka.tools.StorageTool", "format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", dir.resolve("server.properties").toString(), "--ignore-formatted");
        try {
            if (!formatter.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("formatting the Kafka broker's log directory " + dir + " took longer than "
                        + START_TIMEOUT.toSeconds() + " s" + logTail());
            }
            if (formatter.exitValue() != 0) {
                throw new IllegalStateException("formatting the Kafka broker's log directory " + dir + " failed with exit status "
                        + formatter.exitValue() + logTail());
            }
        } finally {
            formatter.destroyForcibly();
            RUNNING.remove(formatter);
        }
    }

    private Process launch(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Kafka's own default heap; the JIT and GC as they come, so that what the benchmarks measure is a normal broker.
                "-Xms256m", "-Xmx1g",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp", String.join(java.io.File.pathSeparator, classpath),
                mainClass));
        command.addAll(List.of(args));
        mark(String.join(" ", command.subList(command.indexOf("-cp") + 2, command.size())));
        Process started = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        RUNNING.add(started);
        return started;
    }

    /**
     * Starts the broker on its ports and data, and waits until a client's describeCluster
     * succeeds: after {@link #stop()} or {@link #kill()} this is the restart after an outage.
     *
     * @throws IllegalStateException if it is already running, if it exits while starting, or if it
     *     is not ready within two minutes (the message carries the tail of its log)
     */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the Kafka broker on " + bootstrap() + " is already running");
        }
        process = launch("kafka.Kafka", dir.resolve("server.properties").toString());
        awaitReady();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker on " + bootstrap() + " exited with status "
                            + process.exitValue() + " while starting" + logTail());
                }
                try {
                    // Each attempt blocks until the broker answers or 5 s pass: this waits for the broker, it does not sleep.
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get(6, TimeUnit.SECONDS);
                    mark("ready: a client's describeCluster succeeded");
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
            }
        }
        throw new IllegalStateException("the Kafka broker on " + bootstrap() + " was not ready within "
                + START_TIMEOUT.toSeconds() + " s (last: " + last + ")" + logTail());
    }

    /** SIGTERM, and waits for the broker's clean shutdown (a kill after a minute). */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        mark("stop: SIGTERM");
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            mark("stop: no exit within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM, SIGKILL");
            process.destroyForcibly().waitFor();
        }
        mark("stopped, exit status " + process.exitValue());
        RUNNING.remove(process);
    }

    /**
     * SIGKILL: the broker dies at once, as in a crash; its data stays for {@link #start()}. That
     * start takes about 10 s longer than one after {@link #stop()}: the controller in it keeps the
     * dead incarnation's registration until {@code broker.session.timeout.ms} (Kafka's 9 s) passes,
     * left as Kafka has it so that a busy machine's stalls do not fence the only broker.
     */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            mark("kill: SIGKILL");
        }
        process.destroyForcibly().waitFor();
        RUNNING.remove(process);
    }

    /** {@link #stop()}, then {@link #start()} on the same ports and data. */
    public void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    /** Whether the broker process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The clients' bootstrap address, {@code 127.0.0.1:PORT}; the same across restarts. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The file its output goes to. */
    public Path logFile() {
        return logFile;
    }

    /** Kills the broker if it runs and deletes its data. */
    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            // SIGKILL is sent before the wait: the broker dies anyway, and the data goes after it
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    /** A line of ours in the broker's log, with the time, so that its own lines can be read against what the test did. */
    private void mark(String what) {
        try {
            Files.writeString(logFile, "==== " + java.time.Instant.now() + " " + what + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // only a help for reading the log: the broker's own lines still go there, and the test goes on
        }
    }

    private String logTail() {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long from = Math.max(0, file.length() - 16_384);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return "; the last lines of " + logFile + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "; its log " + logFile + " could not be read: " + e;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the Kafka broker's data in " + root, e);
        }
    }
}
