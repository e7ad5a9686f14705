package io.audiosockets.examples;

import io.audiosockets.testkit.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An example's {@code main} run as a separate JVM with the classpath a library user's program has
 * (the examples' classes and their runtime dependencies, core, dsp and Logback: no test
 * resources, no command-line module), in a directory holding its {@code server_info.json}.
 * Stdout and stderr are collected line by line. {@link #stop()} sends SIGTERM, as Ctrl-C does.
 */
final class ExampleJvm implements AutoCloseable {
    private final ChildProcess process;

    private ExampleJvm(ChildProcess process) {
        this.process = process;
    }

    /** Runs {@code main} of {@code example} in {@code dir}, with {@code extraClasspath} (directories) in front. */
    static ExampleJvm start(Class<?> example, Path dir, Path... extraClasspath) throws IOException {
        List<String> classpath = new ArrayList<>();
        for (Path p : extraClasspath) {
            classpath.add(p.toString());
        }
        classpath.add(property("examples.classes"));
        classpath.add(Files.readString(Path.of(property("examples.runtime.classpath.file"))).strip());
        List<String> command = List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-Dio.netty.leakDetection.level=paranoid",
                "-cp", String.join(File.pathSeparator, classpath), example.getName());
        return new ExampleJvm(ChildProcess.start(example.getSimpleName(), new ProcessBuilder(command).directory(dir.toFile()),
                Duration.ofSeconds(45)));
    }

    private static String property(String key) {
        String v = System.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("system property " + key + " not set: run the examples' tests through Maven (examples/pom.xml)");
        }
        return v;
    }

    /** Stdout lines so far. */
    List<String> out() {
        return process.out();
    }

    /** Stderr lines so far. */
    List<String> err() {
        return process.err();
    }

    /** Waits for a stdout line matching {@code regex}; returns the line. */
    String awaitOut(String regex) {
        return process.awaitOut(regex).line();
    }

    /** Waits for a stderr line matching {@code regex}; returns the line. */
    String awaitErr(String regex) {
        return process.awaitErr(regex).line();
    }

    /** Waits until {@code count} stdout lines match {@code regex}. */
    void awaitOutCount(String regex, int count) {
        process.awaitOutCount(regex, count);
    }

    /** What it printed so far, for failure messages. */
    String output() {
        return process.output();
    }

    /** SIGTERM (what Ctrl-C does too), then waits for the end and for its output; its exit status. */
    int stop() throws InterruptedException {
        return process.stop();
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
        process.close();
    }
}
