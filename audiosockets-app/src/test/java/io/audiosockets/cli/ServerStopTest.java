package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.client.IoThreads;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops the server promptly under load: clients told it is shutting down, the process
 * gone within the stop deadline, whatever its event loops are doing.
 */
@Timeout(90)
class ServerStopTest {
    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadStopsTheServerWithinTheDeadline() throws Exception {
        try (CliProcess server = CliProcess.start(dir, "server", "--port", "0");
             IoThreads threads = IoThreads.create(2, "load")) {
            int port = Integer.parseInt(server.awaitErr("mailman listening on 127\\.0\\.0\\.1:(\\d+)"));
            NetworkConfig client = NetworkConfig.builder().port(port).reconnectInterval(Duration.ofMillis(200)).build();
            AtomicLong received = new AtomicLong();
            List<AutoCloseable> clients = new ArrayList<>();
            try {
                BaseProcessor all = BaseProcessor.of(ProcessorOptions.builder("all").config(client).ioThreads(threads)
                        .shutdownHook(false).build(), chunk -> received.incrementAndGet());
                clients.add(all);
                all.startAsync().connected().join();
                for (int i = 0; i < 20; i++) { // as fast as the mailman takes them: back-pressured, never paced
                    Recorder r = new Recorder(new SyntheticSource(SyntheticSource.Waveform.NOISE, 440, 0.5,
                            new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE), false, Long.MAX_VALUE),
                            RecorderOptions.builder().stream("load-" + i).period(Duration.ofMillis(20)).config(client)
                                    .ioThreads(threads).shutdownHook(false).build());
                    clients.add(r);
                    r.startAsync();
                }
                long before = received.get();
                server.awaitErr("recorder of stream 'load-19' .* registered");
                await().atMost(Duration.ofSeconds(20)).until(() -> received.get() > before + 2_000);

                long signalled = System.nanoTime();
                int status = server.stop();
                Duration took = Duration.ofNanos(System.nanoTime() - signalled);

                assertThat(took).as("from SIGTERM to the end of the process").isLessThan(StopOnSignal.DEADLINE.plusSeconds(3));
                assertThat(status).as("exit status after SIGTERM").isEqualTo(143);
                assertThat(server.err()).anyMatch(l -> l.contains("mailman shutting down"));
            } finally {
                clients.parallelStream().forEach(c -> { // each waits a little for a mailman that is gone: together
                    try {
                        c.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
    }

    @Test
    void aCloseThatNeverEndsIsCutShortAtTheDeadline() throws Exception {
        ProcessBuilder b = new ProcessBuilder(ChildProcess.javaExecutable(), "-cp", System.getProperty("java.class.path"),
                StuckOnClose.class.getName()).directory(dir.toFile());
        try (ChildProcess stuck = ChildProcess.start("stuck", b, Duration.ofSeconds(20))) {
            stuck.awaitOut("^ready$");
            long signalled = System.nanoTime();
            int status = stuck.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            assertThat(status).isEqualTo(143);
            assertThat(took).as("halted at the deadline, not before").isBetween(StopOnSignal.DEADLINE.minusSeconds(1),
                    StopOnSignal.DEADLINE.plusSeconds(5));
            assertThat(stuck.err()).anyMatch(l -> l.contains("did not stop within 10 s") && l.contains("halting"));
        }
    }
}
