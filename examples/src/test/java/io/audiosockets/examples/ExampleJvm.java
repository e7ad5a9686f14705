package io.audiosockets.examples;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An example's {@code main} run as a separate JVM with the classpath a library user's program has
 * (the examples' classes and their runtime dependencies, core, dsp and Logback: no test
 * resources, no command-line module), in a directory holding its {@code server_info.json}.
 * Stdout and stderr are collected line by line. {@link #stop()} sends SIGTERM, as Ctrl-C does.
 */
final class ExampleJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private ExampleJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        pumps.add(pump(process.getInputStream(), out));
        pumps.add(pump(process.getErrorStream(), err));
    }

    /** Runs {@code main} of {@code example} in {@code dir}, with {@code extraClasspath} (directories) in front. */
    static ExampleJvm start(Class<?> example, Path dir, Path... extraClasspath) throws IOException {
        List<String> classpath = new ArrayList<>();
        for (Path p : extraClasspath) {
            classpath.add(p.toString());
        }
        classpath.add(property("examples.classes"));
        classpath.add(Files.readString(Path.of(property("examples.runtime.classpath.file"))).strip());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dio.netty.leakDetection.level=paranoid", "-cp", String.join(File.pathSeparator, classpath),
                example.getName());
        return new ExampleJvm(example.getSimpleName(), new ProcessBuilder(command).directory(dir.toFile()).start());
    }

    private static String property(String key) {
        String v = System.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("system property " + key + " not set: run the examples' tests through Maven (examples/pom.xml)");
        }
        return v;
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
        }, "example-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stdout lines so far. */
    List<String> out() {
        return out;
    }

    /** Stderr lines so far. */
    List<String> err() {
        return err;
    }

    /** Waits for a stdout line matching {@code regex}; returns the line. */
    String awaitOut(String regex) {
        return awaitLine(out, "stdout", regex);
    }

    /** Waits for a stderr line matching {@code regex}; returns the line. */
    String awaitErr(String regex) {
        return awaitLine(err, "stderr", regex);
    }

    /** Waits until {@code count} stdout lines match {@code regex}. */
    void awaitOutCount(String regex, int count) {
        Pattern p = Pattern.compile(regex);
        try {
            await().atMost(Duration.ofSeconds(45)).until(() -> out.stream().filter(l -> p.matcher(l).find()).count() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + ": fewer than " + count + " stdout lines matching " + regex + " within 45 s; " + output(), e);
        }
    }

    private String awaitLine(List<String> lines, String which, String regex) {
        Pattern p = Pattern.compile(regex);
        String[] found = new String[1];
        try {
            await().atMost(Duration.ofSeconds(45)).until(() -> {
                for (String line : lines) {
                    Matcher m = p.matcher(line);
                    if (m.find()) {
                        found[0] = line;
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + ": no " + which + " line matching " + regex + " within 45 s; " + output(), e);
        }
        return found[0];
    }

    /** What it printed so far, for failure messages. */
    String output() {
        return "stdout " + out + ", stderr " + err;
    }

    /** SIGTERM (what Ctrl-C does too), then waits for the end and for its output; its exit status. */
    int stop() throws InterruptedException {
        // The handle's destroy() sends the same SIGTERM as Process.destroy(), but leaves our ends of the pipes open:
        // Process.destroy() closes them at once, and what the child prints while it shuts down would be lost.
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not end within 30 s of SIGTERM; stdout " + out + ", stderr " + err);
        }
        for (Thread t : pumps) {
            t.join(5_000);
        }
        return process.exitValue();
    }

    /** Writes a {@code server_info.json} for a mailman on {@code port} into {@code dir}, with {@code extraJson} keys. */
    static void writeConfig(Path dir, int port, String extraJson) {
        String json = "{\n  \"SERVER\": \"127.0.0.1\",\n  \"PORT\": " + port + (extraJson.isEmpty() ? "" : ",\n  " + extraJson) + "\n}\n";
        try {
            Files.writeString(dir.resolve("server_info.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
