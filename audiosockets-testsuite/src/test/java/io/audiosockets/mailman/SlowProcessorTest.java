package io.audiosockets.mailman;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A processor ten times slower than real time holds up neither the recorder nor the other
 * processor, and is told exactly what it missed.
 */
class SlowProcessorTest {

    @Test
    void slowProcessorIsolatedAndToldExactlyWhatItMissed() {
        NetworkConfig config = TestConfigs.fast().retention(Duration.ofMillis(400)).build();
        try (LogCapture logs = new LogCapture(); Mailman mailman = new Mailman(config).startAsync()) {
            NetworkConfig client = TestConfigs.clientOf(config, mailman.port());
            CollectingProcessor fast = new CollectingProcessor(ProcessorOptions.builder("fast").config(client).build());
            // 200 ms of work for each 20 ms chunk: ten times slower than real time.
            CollectingProcessor slow = new CollectingProcessor(ProcessorOptions.builder("slow").config(client).window(4).build(),
                    Duration.ofMillis(200));
            fast.startAsync();
            slow.startAsync();
            fast.connected().join();
            slow.connected().join();

            int chunks = 100; // 2 s of audio at real-time pace
            Recorder recorder = new Recorder(new SyntheticSource(SyntheticSource.Waveform.SINE, 440, 0.5,
                    new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE), true, 320L * chunks),
                    RecorderOptions.builder().config(client).stream("mic").period(Duration.ofMillis(20)).build());
            recorder.startAsync();
            try {
                // The recorder's chunks are acknowledged as they are captured: wait no longer than the
                // capture itself plus slack, while the slow processor would need 20 s for them all.
                await("recorder acknowledged every chunk", () -> recorder.chunksAcknowledged() == chunks);
                await("fast processor got every chunk", () -> fast.chunks.size() == chunks);
                assertThat(recorder.captureEnded()).isCompleted();
                assertThat(slow.chunks.size()).as("the slow one is far behind").isLessThan(chunks / 2);
                assertThat(fast.seqs("mic")).containsExactlyElementsOf(LongStream.range(0, chunks).boxed().toList());
                assertThat(fast.gaps).isEmpty();

                // The slow processor: every seq is either delivered once or inside exactly one gap, in order.
                await("slow processor reaches the end", () -> {
                    List<Long> seqs = slow.seqs("mic");
                    return !seqs.isEmpty() && seqs.get(seqs.size() - 1) == chunks - 1;
                });
                assertThat(slow.gaps).isNotEmpty();
                long expected = 0;
                int gapIndex = 0;
                List<Long> seqs = slow.seqs("mic");
                int seqIndex = 0;
                while (expected < chunks) {
                    if (seqIndex < seqs.size() && seqs.get(seqIndex) == expected) {
                        seqIndex++;
                        expected++;
                        continue;
                    }
                    Gap g = slow.gaps.get(gapIndex++);
                    assertThat(g.fromSeq()).as("gap starts where delivery stopped").isEqualTo(expected);
                    assertThat(g.reason()).isEqualTo(GapReason.RETENTION_EXCEEDED);
                    expected = g.toSeq() + 1;
                }
                assertThat(seqIndex).isEqualTo(seqs.size());
                assertThat(gapIndex).isEqualTo(slow.gaps.size());
                assertThat(slow.gapChunks() + slow.chunks.size()).isEqualTo(chunks);
                assertThat(logs.has("processor 'slow'", "GAP in stream 'mic'", "RETENTION_EXCEEDED")).isTrue();
            } finally {
                recorder.close();
                slow.close();
                fast.close();
            }
        }
    }
}
