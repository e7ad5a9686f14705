package io.audiosockets.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.ScriptedSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link ModelProcessor} really slower than real time, against a real mailman and a recorder at
 * real-time pace: each window's result takes 64 ms to handle (twice the 32 ms of audio in it).
 * Under SKIP every received sample is either in a window the model ran or in a reported skip;
 * under BATCH every window is run, in order, in batches.
 */
class SlowModelProcessorTest {
    private static final int CHUNK = 320;
    private static final int CHUNKS = 150; // 3 s
    private static final long SAMPLES = (long) CHUNK * CHUNKS;

    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    @TempDir
    Path dir;

    private ModelSpec spec(OverloadPolicy policy) throws Exception {
        return ModelSpec.builder(TestData.resourceFile("abs.onnx", dir)).samples("input", 512).output("output")
                .overload(policy, Duration.ofMillis(300)).maxBatch(8).build();
    }

    private void record() {
        ScriptedSource source = new ScriptedSource(CHUNK, CHUNKS, true, -1);
        fixture.track(new Recorder(source, RecorderOptions.builder().config(fixture.client()).stream("mic")
                .period(Duration.ofMillis(20)).build())).startAsync();
    }

    /** Handles one window's result slowly, as a model twice slower than real time would. */
    private static void slowly() {
        try {
            TimeUnit.MILLISECONDS.sleep(64);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void skipAccountsForEverySampleReceived() throws Exception {
        List<ModelOutput> outputs = Collections.synchronizedList(new ArrayList<>());
        List<Skipped> skipped = Collections.synchronizedList(new ArrayList<>());
        try (LogCapture logs = new LogCapture()) {
            ModelProcessor p = fixture.track(new ModelProcessor(ProcessorOptions.builder("slow").config(fixture.client()).build(),
                    spec(OverloadPolicy.SKIP), new ModelListener() {
                        @Override
                        public void onOutput(ModelOutput o) {
                            outputs.add(o);
                            slowly();
                        }

                        @Override
                        public void onSkipped(Skipped s) {
                            skipped.add(s);
                        }
                    }));
            p.startAsync();
            p.connected().join();
            record();
            await().atMost(Duration.ofSeconds(30)).until(() -> p.processed() == CHUNKS);
            p.close();
            p.terminated().join();

            assertThat(skipped).as("a model twice slower than real time had to skip").isNotEmpty();
            assertThat(logs.has("model file", "on stream 'mic' fell", "behind real time (more than 0.30 s): skipped chunks")).isTrue();
            // Walk the stream: windows of a segment follow each other every 512 samples from its start;
            // a skip starts at most 511 samples (a partial window) after the segment's last window and
            // the next segment starts where it ends.
            long at = 0;
            long analysed = 0;
            int oi = 0;
            List<ModelOutput> out = new ArrayList<>(outputs);
            for (Skipped s : new ArrayList<>(skipped)) {
                while (oi < out.size() && out.get(oi).startSample() < s.firstSample()) {
                    assertThat(out.get(oi).startSample()).as("window %d", oi).isEqualTo(at);
                    at += 512;
                    analysed += 512;
                    oi++;
                }
                assertThat(s.firstSample() - at).as("samples left unanalysed before %s", s).isBetween(0L, 511L);
                assertThat(s.endSample()).isGreaterThan(s.firstSample());
                at = s.endSample();
            }
            while (oi < out.size()) {
                assertThat(out.get(oi).startSample()).isEqualTo(at);
                at += 512;
                analysed += 512;
                oi++;
            }
            assertThat(SAMPLES - at).as("the tail after the last window").isBetween(0L, 511L);
            long skippedSamples = skipped.stream().mapToLong(Skipped::samples).sum();
            assertThat(analysed + skippedSamples).isGreaterThan(SAMPLES - 512L * (skipped.size() + 1));
        }
    }

    /** The held last batch is run by the idle timer once the recorder has stopped: nothing waits for the processor's close. */
    @Test
    void batchRunsEveryWindowInOrder() throws Exception {
        List<ModelOutput> outputs = Collections.synchronizedList(new ArrayList<>());
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ModelProcessor p = fixture.track(new ModelProcessor(ProcessorOptions.builder("slow").config(fixture.client()).build(),
                spec(OverloadPolicy.BATCH), o -> {
                    outputs.add(o);
                    threads.add(Thread.currentThread().getName());
                    slowly();
                }));
        p.startAsync();
        p.connected().join();
        record();
        long windows = SAMPLES / 512;
        await().atMost(Duration.ofSeconds(30)).until(() -> outputs.size() == windows);
        for (int k = 0; k < windows; k++) {
            assertThat(outputs.get(k).startSample()).isEqualTo(512L * k);
            assertThat(outputs.get(k).window()).isEqualTo(k);
        }
        assertThat(threads).contains("processor-slow");
        p.close();
        p.terminated().join();
        assertThat(outputs).hasSize((int) windows);
    }
}
