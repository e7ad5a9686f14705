package io.audiosockets.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code audiosockets} command run as a real separate JVM, as a user runs it, with its stdout
 * and stderr collected line by line. Stopping it sends SIGTERM, like Ctrl-C, so the command's
 * shutdown path is what runs.
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private CliProcess(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), out));
        pumps.add(pump(process.getErrorStream(), err));
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
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        return new CliProcess(builder.start());
    }

    private static Thread pump(InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "cli-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The command's standard input. */
    OutputStream stdin() {
        return process.getOutputStream();
    }

    List<String> out() {
        return out;
    }

    List<String> err() {
        return err;
    }

    /** Waits for a stdout line matching {@code regex} and returns its first group (or the whole line). */
    String awaitOut(String regex) {
        return awaitLine(out, "stdout", regex);
    }

    /** Waits for a stderr line matching {@code regex} and returns its first group (or the whole line). */
    String awaitErr(String regex) {
        return awaitLine(err, "stderr", regex);
    }

    private static String awaitLine(List<String> lines, String which, String regex) {
        Pattern p = Pattern.compile(regex);
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(20)).alias(which + " line matching " + regex + " in " + lines).until(() -> {
            for (String line : lines) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    found[0] = m.groupCount() > 0 ? m.group(1) : line;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Closes our end of the process's stdout, as {@code | head} does when it has read enough. */
    void closeItsOutput() throws IOException {
        process.getInputStream().close();
    }

    /** Waits for the process to end by itself; its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("process did not end within 30 s; stderr: " + err);
        }
        return finish();
    }

    /** SIGTERM (what Ctrl-C does too), then waits for the end; its exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    private int finish() throws InterruptedException {
        for (Thread t : pumps) {
            t.join(5_000);
        }
        return process.exitValue();
    }

    /** SIGKILL: the JVM dies at once, no shutdown hook, no BYE; the kernel closes its sockets. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
