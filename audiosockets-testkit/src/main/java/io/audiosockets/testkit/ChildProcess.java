package io.audiosockets.testkit;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A program run as a real separate process (a user's processor, the {@code audiosockets}
 * command, an example), with its stdout and stderr collected line by line so that a test can wait
 * for a line instead of sleeping. {@link #stop()} sends SIGTERM, as Ctrl-C does, so the program's
 * own shutdown path is what runs; {@link #kill()} is SIGKILL, a crash.
 */
public final class ChildProcess implements AutoCloseable {
    private static final Duration END_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Duration awaitTimeout;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private ChildProcess(String name, Process process, Duration awaitTimeout) {
        this.name = name;
        this.process = process;
        this.awaitTimeout = awaitTimeout;
        pumps.add(pump(process.getInputStream(), out, name + "-stdout"));
        pumps.add(pump(process.getErrorStream(), err, name + "-stderr"));
    }

    /**
     * Starts {@code builder}'s command; {@code name} names it in failures, and the {@code await*}
     * methods wait up to {@code awaitTimeout} for a line.
     */
    public static ChildProcess start(String name, ProcessBuilder builder, Duration awaitTimeout) throws IOException {
        return new ChildProcess(name, builder.start(), awaitTimeout);
    }

    /** The {@code java} of the JVM running the test, for starting another. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Thread pump(InputStream in, List<String> lines, String threadName) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended, or the test closed our end (closeItsOutput)
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The program's standard input. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Its stdout lines so far (a live list). */
    public List<String> out() {
        return out;
    }

    /** Its stderr lines so far (a live list). */
    public List<String> err() {
        return err;
    }

    /** What it printed so far, for failure messages. */
    public String output() {
        return "stdout " + out + ", stderr " + err;
    }

    /**
     * A line that matched, and the match.
     *
     * @param line the whole line
     * @param match where {@code regex} was found in it, with its groups
     */
    public record Line(String line, MatchResult match) {
        /** The first group of the match, or the whole line when the pattern has none. */
        public String firstGroupOrLine() {
            return match.groupCount() > 0 ? match.group(1) : line;
        }
    }

    /** Waits for a stdout line in which {@code regex} is found. */
    public Line awaitOut(String regex) {
        return awaitLine(out, "stdout", regex);
    }

    /** Waits for a stderr line in which {@code regex} is found. */
    public Line awaitErr(String regex) {
        return awaitLine(err, "stderr", regex);
    }

    /** Waits until {@code count} stdout lines match {@code regex}. */
    public void awaitOutCount(String regex, int count) {
        Pattern p = Pattern.compile(regex);
        try {
            await().atMost(awaitTimeout).until(() -> out.stream().filter(l -> p.matcher(l).find()).count() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + ": fewer than " + count + " stdout lines matching " + regex + " within "
                    + awaitTimeout.toSeconds() + " s; " + output(), e);
        }
    }

    private Line awaitLine(List<String> lines, String which, String regex) {
        Pattern p = Pattern.compile(regex);
        Line[] found = new Line[1];
        try {
            await().atMost(awaitTimeout).until(() -> {
                for (String line : lines) {
                    Matcher m = p.matcher(line);
                    if (m.find()) {
                        found[0] = new Line(line, m.toMatchResult());
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + ": no " + which + " line matching " + regex + " within "
                    + awaitTimeout.toSeconds() + " s; " + output(), e);
        }
        return found[0];
    }

    /** Closes our end of its stdout, as {@code | head} does when it has read enough. */
    public void closeItsOutput() throws IOException {
        process.getInputStream().close();
    }

    /** Waits (up to 30 s) for it to end by itself, and for its last output; its exit status. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(END_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not end within " + END_TIMEOUT.toSeconds() + " s; " + output());
        }
        for (Thread t : pumps) {
            t.join(5_000);
        }
        return process.exitValue();
    }

    /** SIGTERM (what Ctrl-C does too), then waits for the end and its last output; its exit status. */
    public int stop() throws InterruptedException {
        // The handle's destroy() sends the same SIGTERM as Process.destroy(), but leaves our ends of the pipes open:
        // Process.destroy() closes them at once, and what the child prints while it shuts down would be lost.
        process.toHandle().destroy();
        return awaitExit();
    }

    /** SIGKILL: it dies at once, no shutdown hook, no goodbye; the kernel closes its sockets. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    /** Kills it if it still runs (SIGKILL). */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
