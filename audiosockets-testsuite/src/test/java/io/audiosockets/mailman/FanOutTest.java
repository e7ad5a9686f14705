package io.audiosockets.mailman;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.CollectingProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Recorders to processors through a real mailman on loopback: everything arrives, in order, bit-exact. */
class FanOutTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    private CollectingProcessor processor(String name, String... streams) {
        CollectingProcessor p = fixture.track(new CollectingProcessor(ProcessorOptions.builder(name).config(fixture.client()).subscribe(streams).build()));
        p.startAsync();
        p.connected().join();
        return p;
    }

    private static SyntheticSource source(SyntheticSource.Waveform w, double hz, SampleFormat format, long frames) {
        return new SyntheticSource(w, hz, 0.5, new StreamFormat(16_000, 1, format), false, frames);
    }

    /** What a recorder sends for {@code source}: the same chunks, computed again from the deterministic source. */
    private static List<byte[]> expectedChunks(SyntheticSource source, int framesPerChunk) throws Exception {
        List<byte[]> out = new ArrayList<>();
        int fb = source.format().frameBytes();
        byte[] buf = new byte[framesPerChunk * fb];
        int n;
        while ((n = source.read(buf, 0, framesPerChunk)) > 0) {
            out.add(java.util.Arrays.copyOf(buf, n * fb));
        }
        return out;
    }

    @Test
    void oneRecorderToThreeProcessorsDeliversEveryChunkInOrderWithIdenticalSamples() throws Exception {
        List<CollectingProcessor> processors = List.of(processor("p1"), processor("p2"), processor("p3"));
        int chunks = 300;
        Recorder recorder = fixture.track(new Recorder(source(SyntheticSource.Waveform.NOISE, 440, SampleFormat.FLOAT32LE, 320L * chunks),
                RecorderOptions.builder().config(fixture.client()).stream("mic").period(Duration.ofMillis(20)).build()));
        recorder.startAsync();

        for (CollectingProcessor p : processors) {
            await(p.name() + " receives all " + chunks + " chunks", () -> p.chunks.size() >= chunks);
        }
        List<byte[]> expected = expectedChunks(source(SyntheticSource.Waveform.NOISE, 440, SampleFormat.FLOAT32LE, 320L * chunks), 320);
        for (CollectingProcessor p : processors) {
            assertThat(p.seqs("mic")).containsExactlyElementsOf(LongStream.range(0, chunks).boxed().toList());
            for (int i = 0; i < chunks; i++) {
                AudioChunk c = p.chunks.get(i);
                assertThat(c.data()).as("samples of chunk %d at %s", i, p.name()).isEqualTo(expected.get(i));
                assertThat(c.sampleRate()).isEqualTo(16_000);
                assertThat(c.format()).isEqualTo(SampleFormat.FLOAT32LE);
            }
            assertThat(p.gaps).isEmpty();
        }
        // Capture times advance by exactly one chunk's duration.
        CollectingProcessor p1 = processors.get(0);
        for (int i = 1; i < chunks; i++) {
            assertThat(p1.chunks.get(i).captureTimeNanos() - p1.chunks.get(i - 1).captureTimeNanos()).isEqualTo(20_000_000L);
        }
        await("recorder acknowledged", () -> recorder.chunksAcknowledged() == chunks);
        assertThat(fixture.mailman().stats().snapshot().deliveries()).isEqualTo(3L * chunks);
    }

    @Test
    void twoRecordersToTwoProcessorsOneOfWhichSubscribesToOneStream() throws Exception {
        CollectingProcessor all = processor("all");
        CollectingProcessor onlyB = processor("only-b", "b");
        int chunks = 100;
        Recorder a = fixture.track(new Recorder(source(SyntheticSource.Waveform.SINE, 440, SampleFormat.PCM_S16LE, 160L * chunks),
                RecorderOptions.builder().config(fixture.client()).stream("a").period(Duration.ofMillis(10)).build()));
        Recorder b = fixture.track(new Recorder(source(SyntheticSource.Waveform.SINE, 1000, SampleFormat.FLOAT32LE, 160L * chunks),
                RecorderOptions.builder().config(fixture.client()).stream("b").period(Duration.ofMillis(10)).build()));
        a.startAsync();
        b.startAsync();

        await("all receives both streams", () -> all.chunks.size() >= 2 * chunks);
        await("only-b receives stream b", () -> onlyB.chunks.size() >= chunks);
        List<Long> expectedSeqs = LongStream.range(0, chunks).boxed().toList();
        assertThat(all.seqs("a")).containsExactlyElementsOf(expectedSeqs);
        assertThat(all.seqs("b")).containsExactlyElementsOf(expectedSeqs);
        assertThat(onlyB.seqs("b")).containsExactlyElementsOf(expectedSeqs);
        assertThat(onlyB.seqs("a")).isEmpty();
        List<byte[]> expectedA = expectedChunks(source(SyntheticSource.Waveform.SINE, 440, SampleFormat.PCM_S16LE, 160L * chunks), 160);
        assertThat(all.chunks.stream().filter(c -> c.stream().equals("a")).map(AudioChunk::data).toList())
                .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(expectedA);
    }
}
