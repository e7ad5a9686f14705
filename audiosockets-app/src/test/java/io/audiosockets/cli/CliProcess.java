package io.audiosockets.cli;

import io.audiosockets.testkit.ChildProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code audiosockets} command run as a real separate JVM, as a user runs it (a
 * {@link ChildProcess}): its stdout and stderr collected line by line; stopping it sends SIGTERM,
 * like Ctrl-C, so the command's shutdown path is what runs.
 */
final class CliProcess implements AutoCloseable {
    private final ChildProcess process;

    private CliProcess(ChildProcess process) {
        this.process = process;
    }

    /** A loopback port that was free a moment ago: for a server a test starts later. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Starts {@code audiosockets args...} in {@code dir}. */
    static CliProcess start(Path dir, String... args) throws IOException {
        return start(dir, Map.of(), args);
    }

    /** Starts {@code audiosockets args...} in {@code dir} with {@code env} added to its environment. */
    static CliProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        return startUnder(List.of(), dir, env, args);
    }

    /**
     * Starts {@code launcher... java ... audiosockets args...}: {@code launcher} is a command that
     * runs the JVM in another context and replaces itself by it (such as {@code ip netns exec NS}),
     * so stopping this process still stops the JVM.
     */
    static CliProcess startUnder(List<String> launcher, Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(ChildProcess.javaExecutable(), "-Dio.netty.leakDetection.level=paranoid", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        return new CliProcess(ChildProcess.start("audiosockets " + String.join(" ", args), builder, Duration.ofSeconds(20)));
    }

    /** The command's standard input. */
    OutputStream stdin() {
        return process.stdin();
    }

    /** Stdout lines so far. */
    List<String> out() {
        return process.out();
    }

    /** Stderr lines so far. */
    List<String> err() {
        return process.err();
    }

    /** Waits for a stdout line matching {@code regex} and returns its first group (or the whole line). */
    String awaitOut(String regex) {
        return process.awaitOut(regex).firstGroupOrLine();
    }

    /** Waits for a stderr line matching {@code regex} and returns its first group (or the whole line). */
    String awaitErr(String regex) {
        return process.awaitErr(regex).firstGroupOrLine();
    }

    /** Closes our end of the process's stdout, as {@code | head} does when it has read enough. */
    void closeItsOutput() throws IOException {
        process.closeItsOutput();
    }

    /** Waits for the process to end by itself; its exit status. */
    int awaitExit() throws InterruptedException {
        return process.awaitExit();
    }

    /** SIGTERM (what Ctrl-C does too), then waits for the end; its exit status. */
    int stop() throws InterruptedException {
        return process.stop();
    }

    /** SIGKILL: the JVM dies at once, no shutdown hook, no BYE; the kernel closes its sockets. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
