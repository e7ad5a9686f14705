package io.audiosockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples run as a user runs them, each in its own JVM with only the library on
 * its classpath, against a real mailman on a free loopback port: they receive the recorder's
 * chunks, stop cleanly on SIGTERM (as on Ctrl-C), and log out of the box in the config file's
 * format.
 */
class ExamplesRunTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    @TempDir
    Path dir;

    private int port() {
        return fixture.mailman().port();
    }

    @Test
    void theProcessorExamplesReceiveTheRecorderExamplesChunks() throws Exception {
        ExampleJvm.writeConfig(dir, port(), "");
        try (ExampleJvm lms = ExampleJvm.start(LMSProcessor.class, dir);
             ExampleJvm meter = ExampleJvm.start(Meter.class, dir);
             ExampleJvm recorder = ExampleJvm.start(SineRecorder.class, dir)) {
            // 128 mel bands per frame; a sine of amplitude 0.5 has an RMS of 0.354.
            lms.awaitOutCount("^128 x \\d+$", 2);
            meter.awaitOutCount("^default #\\d+ rms 0[.,]354$", 2);
            assertThat(fixture.mailman().processors()).contains("VAD", "meter");
            // No logging keys in the file and no logback.xml: the default logging_format, on stderr, at info.
            lms.awaitErr("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\[[^\\]]+\\] io\\.audiosockets\\.internal\\.client\\.ClientConnection - "
                    + "processor 'VAD': connected to ");
            assertThat(fixture.mailman().stats().snapshot().chunksIn()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void sigtermMakesAProcessorSayGoodbyeAndRunOnStop() throws Exception {
        ExampleJvm.writeConfig(dir, port(), "");
        try (LogCapture mailmanLog = new LogCapture();
             ExampleJvm recorder = ExampleJvm.start(SineRecorder.class, dir);
             ExampleJvm counter = ExampleJvm.start(Counter.class, dir)) {
            counter.awaitOut("^counter: counting$");
            // Only the counter subscribes: two chunks written to it, the first half a second before the second.
            await().atMost(Duration.ofSeconds(45)).until(() -> fixture.mailman().stats().snapshot().deliveries() >= 2);

            int status = counter.stop();

            String output = "exit status " + status + ", stdout " + counter.out() + ", stderr " + counter.err();
            assertThat(counter.out()).as("onStop's line; " + output).anyMatch(l -> l.matches("counter: [1-9]\\d* chunks, 0 missing"));
            assertThat(counter.err()).as(output).anyMatch(l -> l.contains("processor 'counter': the JVM is shutting down (Ctrl-C or SIGTERM)"));
            assertThat(status).as("exit status after SIGTERM, as the JVM exits on it; " + output).isEqualTo(143);
            // The mailman's side: a BYE with the right DISCONNECT_MSG, not a dropped connection.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(mailmanLog.messages())
                    .anyMatch(m -> m.matches("processor 'counter' #\\d+ \\S+ disconnected \\(BYE\\)")));
        }
    }

    @Test
    void aProcessorThatOptedOutOfTheHookIsLeftAlone() throws Exception {
        ExampleJvm.writeConfig(dir, port(), "");
        Path testClasses = Path.of(NoHookProcessor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (LogCapture mailmanLog = new LogCapture();
             ExampleJvm noHook = ExampleJvm.start(NoHookProcessor.class, dir, testClasses)) {
            noHook.awaitOut("^nohook: started$");
            await().atMost(Duration.ofSeconds(45)).until(() -> fixture.mailman().processors().contains("nohook"));

            int status = noHook.stop();

            String output = "exit status " + status + ", " + noHook.output();
            assertThat(status).as(output).isEqualTo(143);
            assertThat(noHook.out()).as(output).doesNotContain("nohook: onStop");
            assertThat(noHook.err()).as(output).noneMatch(l -> l.contains("shutting down"));
            // The mailman's side: the connection dropped (a FIN, or a reset if bytes were unread), no BYE.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(mailmanLog.messages())
                    .anyMatch(m -> m.matches("processor 'nohook' #\\d+ \\S+ disconnected \\((connection closed by peer without BYE"
                            + "|connection lost: .*)\\)")));
        }
    }

    @Test
    void aProcessorFromAConfigFileLogsInTheFilesFormatOutOfTheBox() throws Exception {
        ExampleJvm.writeConfig(dir, port(), "\"logging_format\": \"%(levelname)s|%(name)s|%(message)s\"");
        try (ExampleJvm meter = ExampleJvm.start(Meter.class, dir)) {
            meter.awaitErr("^INFO\\|io\\.audiosockets\\.internal\\.client\\.ClientConnection\\|processor 'meter': connected to "
                    + "audiosockets-mailman/\\S+ at 127\\.0\\.0\\.1:" + port() + " \\(session #\\d+\\)$");
        }
    }

    @Test
    void theFilesLoggingLevelAppliesToo() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        // Nobody listens: the second failed attempt is a DEBUG line, shown only at logging_level debug.
        ExampleJvm.writeConfig(dir, closed, "\"RECONNECT_SECONDS\": 0.1,\n  \"logging_format\": \"%(levelname)s|%(message)s\",\n"
                + "  \"logging_level\": \"debug\"");
        try (ExampleJvm meter = ExampleJvm.start(Meter.class, dir)) {
            meter.awaitErr("^WARNING\\|processor 'meter': mailman at 127\\.0\\.0\\.1:" + closed + " not reachable");
            meter.awaitErr("^DEBUG\\|processor 'meter': attempt 2 to reach the mailman at 127\\.0\\.0\\.1:" + closed + " failed");
        }
    }

    @Test
    void aUsersOwnLogbackXmlWinsOverTheConfigFile() throws Exception {
        Path conf = Files.createDirectory(dir.resolve("conf"));
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration>
                  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>MINE %level %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="ERR"/></root>
                </configuration>
                """);
        ExampleJvm.writeConfig(dir, port(), "\"logging_format\": \"%(levelname)s|%(message)s\"");
        try (ExampleJvm meter = ExampleJvm.start(Meter.class, dir, conf)) {
            meter.awaitErr("^MINE INFO processor 'meter': connected to ");
            assertThat(meter.err()).noneMatch(l -> l.startsWith("INFO|"));
        }
    }
}
