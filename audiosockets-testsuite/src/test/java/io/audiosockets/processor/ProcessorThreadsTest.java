package io.audiosockets.processor;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Processors whose code runs on {@link ProcessorThreads} shared between them keep every guarantee
 * of a processor with a thread of its own: every chunk, in order, one at a time, on none of the
 * network threads, onStart first and onStop last; and one processor stuck in its code does not hold
 * up another.
 */
class ProcessorThreadsTest {
    private static final StreamFormat FORMAT = new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE);
    private static final int CHUNKS = 300;

    /** Records what it gets, where it ran, and whether two of its calls ever overlapped. */
    private static final class Watching extends BaseProcessor {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final CountDownLatch release;

        Watching(ProcessorOptions options, CountDownLatch release) {
            super(options);
            this.release = release;
        }

        @Override
        protected void onStart() {
            events.add("start");
        }

        @Override
        protected void processData(AudioChunk chunk) throws InterruptedException {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            threads.add(Thread.currentThread().getName());
            release.await(); // a stuck processor until released (others get an open latch)
            if (seqs.isEmpty()) {
                events.add("first chunk");
            }
            seqs.add(chunk.seq());
            inside.decrementAndGet();
        }

        @Override
        protected void onStop() {
            events.add("stop");
        }
    }

    private static Recorder recorder(NetworkConfig client, String stream) {
        // Not paced: the chunks come as fast as the window lets them, so each processor has many queued at once.
        return new Recorder(new SyntheticSource(SyntheticSource.Waveform.SINE, 440, 0.5, FORMAT, false, 320L * CHUNKS),
                RecorderOptions.builder().config(client).stream(stream).period(Duration.ofMillis(20)).build());
    }

    @Test
    void manyProcessorsOnTwoThreadsGetEveryChunkInOrderOneAtATime() {
        NetworkConfig config = TestConfigs.fast().build();
        CountDownLatch open = new CountDownLatch(0);
        try (Mailman mailman = new Mailman(config).startAsync(); ProcessorThreads pool = ProcessorThreads.create(2, "shared-user")) {
            NetworkConfig client = TestConfigs.clientOf(config, mailman.port());
            List<Watching> processors = new ArrayList<>();
            List<Recorder> recorders = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    // Two processors per stream, so that the same chunks go to two processors sharing the threads.
                    Watching p = new Watching(ProcessorOptions.builder("p" + i).config(client).subscribe("s" + i % 4)
                            .processorThreads(pool).build(), open);
                    processors.add(p);
                    p.startAsync();
                }
                processors.forEach(p -> p.connected().join());
                for (int s = 0; s < 4; s++) {
                    recorders.add(recorder(client, "s" + s).startAsync());
                }
                for (Watching p : processors) {
                    await(p.name() + " got every chunk", () -> p.seqs.size() >= CHUNKS);
                }
            } finally {
                recorders.forEach(Recorder::close);
                processors.forEach(BaseProcessor::close);
            }
            List<Long> all = LongStream.range(0, CHUNKS).boxed().toList();
            for (Watching p : processors) {
                assertThat(p.seqs).as(p.name() + ": every chunk once, in order").containsExactlyElementsOf(all);
                assertThat(p.overlaps).as(p.name() + ": one chunk at a time").hasValue(0);
                assertThat(p.threads).as(p.name() + ": only the shared threads, never a network thread or one of its own")
                        .allMatch(t -> t.startsWith("shared-user-"));
                assertThat(p.events).as(p.name() + ": onStart first, onStop after the last chunk")
                        .containsExactly("start", "first chunk", "stop");
                assertThat(p.processed()).isEqualTo(CHUNKS);
            }
        }
    }

    @Test
    void aProcessorStuckInItsCodeDoesNotHoldUpAnotherOnTheSameThreads() {
        NetworkConfig config = TestConfigs.fast().build();
        CountDownLatch stuck = new CountDownLatch(1);
        try (Mailman mailman = new Mailman(config).startAsync(); ProcessorThreads pool = ProcessorThreads.create(2, "shared-user")) {
            NetworkConfig client = TestConfigs.clientOf(config, mailman.port());
            Watching blocked = new Watching(ProcessorOptions.builder("blocked").config(client).subscribe("a")
                    .processorThreads(pool).build(), stuck);
            Watching free = new Watching(ProcessorOptions.builder("free").config(client).subscribe("b")
                    .processorThreads(pool).build(), new CountDownLatch(0));
            Recorder a = recorder(client, "a");
            Recorder b = recorder(client, "b");
            try {
                blocked.startAsync();
                free.startAsync();
                blocked.connected().join();
                free.connected().join();
                a.startAsync();
                await("the blocked processor is inside processData", () -> blocked.inside.get() == 1);
                b.startAsync();
                await("the other processor got every chunk meanwhile", () -> free.seqs.size() == CHUNKS);
                assertThat(blocked.seqs).as("still stuck on its first chunk").isEmpty();
                stuck.countDown();
                await("the blocked one, released, catches up", () -> blocked.seqs.size() == CHUNKS);
            } finally {
                stuck.countDown();
                a.close();
                b.close();
                blocked.close();
                free.close();
            }
            assertThat(free.seqs).containsExactlyElementsOf(LongStream.range(0, CHUNKS).boxed().toList());
            assertThat(blocked.seqs).containsExactlyElementsOf(LongStream.range(0, CHUNKS).boxed().toList());
        }
    }
}
