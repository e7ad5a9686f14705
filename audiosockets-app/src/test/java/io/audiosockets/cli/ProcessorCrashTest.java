package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TcpProxy;
import io.audiosockets.testkit.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The at-least-once boundary, shown with a real crash: a processor running as its own JVM is
 * killed with SIGKILL mid-stream and started again under the same name. Nothing is lost, and
 * the only chunks it processes twice are those that were in flight, unacknowledged, at the
 * kill; they arrive flagged as redeliveries.
 *
 * <p>So that the kill surely lands while chunks are processed but unacknowledged, the first
 * instance reaches the mailman through a proxy that, before the kill, stops passing what the
 * processor sends: its acknowledgements die with it.
 */
class ProcessorCrashTest {
    private static final Pattern LINE = Pattern.compile("^mic\\s+#(\\d+)\\s.*frames.*?(redelivered)?$");

    @TempDir
    Path dir;

    private record Printed(long seq, boolean redelivered) {
    }

    private static List<Printed> printed(CliProcess p) {
        List<Printed> out = new ArrayList<>();
        for (String line : p.out()) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                out.add(new Printed(Long.parseLong(m.group(1)), m.group(2) != null));
            }
        }
        return out;
    }

    private static long last(CliProcess p) {
        List<Printed> seen = printed(p);
        return seen.isEmpty() ? -1 : seen.get(seen.size() - 1).seq();
    }

    @Test
    void aProcessorKilledWithSigkillAndRestartedUnderItsNameLosesNothingAndRedeliversOnlyWhatWasInFlight()
            throws Exception {
        try (Mailman mailman = new Mailman(TestConfigs.fast().build()).startAsync()) {
            NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
            String port = String.valueOf(mailman.port());
            int total = 400; // 8 s of 20 ms chunks at real time: room for two JVM start-ups
            ScriptedSource source = new ScriptedSource(320, total, true, -1);
            List<Printed> first;
            try (TcpProxy proxy = new TcpProxy(mailman.port());
                 CliProcess crashy = CliProcess.start(dir, "process", "-p", String.valueOf(proxy.port()), "--name", "crashy",
                         "print")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> mailman.processors().contains("crashy"));
                try (Recorder recorder = new Recorder(source, RecorderOptions.builder().config(client).stream("mic")
                        .period(Duration.ofMillis(20)).build()).startAsync()) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> last(crashy) >= 40);
                    proxy.pauseUpstream(true);
                    long pausedAt = last(crashy);
                    await().atMost(Duration.ofSeconds(20)).until(() -> last(crashy) >= pausedAt + 30);
                    crashy.kill();
                    first = printed(crashy);
                    try (CliProcess again = CliProcess.start(dir, "process", "-p", port, "--name", "crashy", "print")) {
                        await().atMost(Duration.ofSeconds(30)).until(() -> last(again) == total - 1);
                        List<Printed> second = printed(again);
                        assertThat(again.out()).noneMatch(l -> l.contains("GAP"));

                        long lastBefore = first.get(first.size() - 1).seq();
                        assertThat(first).extracting(Printed::seq).as("before the kill: in order from 0")
                                .containsExactlyElementsOf(LongStream.rangeClosed(0, lastBefore).boxed().toList());
                        long resumedAt = second.get(0).seq();
                        assertThat(second).extracting(Printed::seq).as("after the restart: in order to the end")
                                .containsExactlyElementsOf(LongStream.range(resumedAt, total).boxed().toList());
                        assertThat(resumedAt).as("nothing lost between the two lives").isLessThanOrEqualTo(lastBefore + 1);

                        long twice = lastBefore - resumedAt + 1;
                        int window = client.processorWindow();
                        // At least most of the 30 printed after the pause (an ACK already being forwarded may still get
                        // through), at most the window.
                        assertThat(twice).as("processed twice: those whose ACK died with it, at most the window")
                                .isBetween(10L, (long) window);
                        for (Printed p : second) {
                            if (p.seq() <= lastBefore) {
                                assertThat(p.redelivered()).as("chunk %d, processed before the kill, is flagged", p.seq()).isTrue();
                            }
                        }
                        List<Long> flagged = second.stream().filter(Printed::redelivered).map(Printed::seq).toList();
                        assertThat(flagged).as("only what the dead instance was sent is flagged: a prefix, within the window")
                                .containsExactlyElementsOf(LongStream.range(resumedAt, resumedAt + flagged.size()).boxed().toList())
                                .hasSizeLessThanOrEqualTo(window);
                        assertThat(recorder.chunksDropped()).isZero();
                    }
                }
            }
        }
    }
}
