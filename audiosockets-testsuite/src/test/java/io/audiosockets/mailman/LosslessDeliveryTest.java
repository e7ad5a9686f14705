package io.audiosockets.mailman;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.client.ClientListener;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TcpProxy;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault injection over real sockets: connections cut, a mailman restarted, a processor that
 * stops reading, half-open connections, a late joiner. Every test checks, chunk by chunk and
 * byte for byte, that what the processor received is what the recorder captured: every chunk
 * exactly once, in order, or inside an explicit gap that says exactly what is missing.
 */
class LosslessDeliveryTest {
    private static final int FRAMES = 320; // 20 ms at 16 kHz
    private static final Duration PERIOD = Duration.ofMillis(20);
    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T c) {
        return closer.track(c);
    }

    private Recorder recorder(ScriptedSource source, NetworkConfig client, int frames) {
        return track(new Recorder(source, RecorderOptions.builder().config(client).stream("mic")
                .period(Duration.ofNanos(frames * 1_000_000_000L / ScriptedSource.FORMAT.sampleRate())).build()));
    }

    /**
     * Checks that {@code p} received chunks 0..total-1 of {@code source}, each exactly once, in
     * order and byte for byte, except those inside its gaps, which must not overlap anything.
     *
     * @return the gaps
     */
    private static List<Gap> assertEveryChunkOnceOrInAGap(CollectingProcessor p, ScriptedSource source, long total) {
        List<AudioChunk> chunks = p.chunks;
        List<Gap> gaps = new ArrayList<>(p.gaps);
        long expected = 0;
        int ci = 0;
        int gi = 0;
        while (expected < total) {
            if (ci < chunks.size() && chunks.get(ci).seq() == expected) {
                AudioChunk c = chunks.get(ci++);
                assertThat(source.isChunk(expected, c.data())).as("bytes of chunk %d", expected).isTrue();
                expected++;
            } else {
                assertThat(gi).as("chunk %d neither delivered nor in a gap (next delivered: %s)", expected,
                        ci < chunks.size() ? chunks.get(ci).seq() : "none").isLessThan(gaps.size());
                Gap g = gaps.get(gi++);
                assertThat(g.fromSeq()).as("gap starts where delivery stopped").isEqualTo(expected);
                expected = g.toSeq() + 1;
            }
        }
        assertThat(ci).as("no chunk delivered twice or beyond the end").isEqualTo(chunks.size());
        assertThat(gi).as("no gap beyond the end").isEqualTo(gaps.size());
        return gaps;
    }

    private static boolean hasSeq(CollectingProcessor p, long seq) {
        List<Long> seqs = p.seqs("mic");
        return !seqs.isEmpty() && seqs.get(seqs.size() - 1) >= seq;
    }

    @Test
    void aProcessorWhoseConnectionIsCutMidStreamGetsEveryChunkExactlyOnce() throws Exception {
        Mailman mailman = track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        TcpProxy proxy = track(new TcpProxy(mailman.port()));
        CollectingProcessor p = track(new CollectingProcessor(ProcessorOptions.builder("p")
                .config(client.toBuilder().port(proxy.port()).build()).build()));
        p.startAsync();
        p.connected().join();
        int total = 100; // 2 s at real time
        ScriptedSource source = new ScriptedSource(FRAMES, total, true, -1);
        recorder(source, client, FRAMES).startAsync();

        await("30 chunks delivered", () -> p.chunks.size() >= 30);
        proxy.cutAll(); // RST both ways: no BYE, no FIN, chunks in flight lost on the wire
        await("the last chunk delivered", () -> hasSeq(p, total - 1));

        assertThat(proxy.connectionsAccepted()).as("the processor reconnected").isGreaterThanOrEqualTo(2);
        assertThat(assertEveryChunkOnceOrInAGap(p, source, total)).isEmpty();
    }

    /** A processor that blocks in processData on one chunk until released. */
    private static final class GatedProcessor extends CollectingProcessor {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        private final long gateSeq;

        GatedProcessor(ProcessorOptions options, long gateSeq) {
            super(options);
            this.gateSeq = gateSeq;
        }

        @Override
        protected void processData(AudioChunk chunk) throws InterruptedException {
            if (chunk.seq() == gateSeq) {
                reached.countDown();
                gate.await();
            }
            super.processData(chunk);
        }
    }

    private static final int RESTART_TOTAL = 150;

    /** What a restart scenario leaves for the test to check. */
    private record Restart(GatedProcessor processor, ScriptedSource source, Recorder recorder, Mailman second) {
    }

    /**
     * Streams {@value #RESTART_TOTAL} chunks at real time while the processor lags (held on chunk
     * 20) and the mailman has stored, and acknowledged to the recorder, far more; then stops the
     * mailman, runs {@code duringOutage}, and starts a new mailman on the same port. The new one
     * holds nothing, so the processor's position can only be served by the recorder's replay.
     * Returns once the processor has the last chunk.
     */
    private Restart restartWhileProcessorLags(Duration recorderBuffer, BiConsumer<ScriptedSource, Recorder> duringOutage)
            throws InterruptedException {
        Mailman first = new Mailman(TestConfigs.fast().build()).startAsync();
        NetworkConfig client = TestConfigs.clientOf(first.config(), first.port()).toBuilder().recorderBuffer(recorderBuffer).build();
        GatedProcessor p = track(new GatedProcessor(ProcessorOptions.builder("p").config(client).build(), 20));
        p.startAsync();
        p.connected().join();
        ScriptedSource source = new ScriptedSource(FRAMES, RESTART_TOTAL, true, -1, true);
        Recorder recorder = recorder(source, client, FRAMES);
        recorder.startAsync();

        assertThat(p.reached.await(20, TimeUnit.SECONDS)).as("processor reached chunk 20").isTrue();
        await("mailman acknowledged 40 chunks", () -> recorder.chunksAcknowledged() >= 40);
        NetworkConfig config = first.config().toBuilder().port(first.port()).build();
        first.close();
        p.gate.countDown();
        duringOutage.accept(source, recorder);
        Mailman second = track(new Mailman(config).startAsync());
        await("the last chunk delivered", () -> hasSeq(p, RESTART_TOTAL - 1));
        return new Restart(p, source, recorder, second);
    }

    @Test
    void aMailmanRestartShorterThanTheRecorderBufferLosesNothing() throws Exception {
        Restart r = restartWhileProcessorLags(NetworkConfig.DEFAULT_RECORDER_BUFFER, (source, recorder) -> {
            long at = source.chunksRead();
            await("0.4 s of audio captured while the mailman is down", () -> source.chunksRead() >= at + 20);
        });

        assertThat(assertEveryChunkOnceOrInAGap(r.processor(), r.source(), RESTART_TOTAL)).as("no gap").isEmpty();
        assertThat(r.second().stats().snapshot().chunksReplayed()).as("the lagging range came from the recorder's replay")
                .isGreaterThan(0);
        assertThat(r.recorder().chunksDropped()).isZero();
    }

    @Test
    void aMailmanOutageLongerThanTheRecorderBufferIsExactlyOneGap() throws Exception {
        Restart r = restartWhileProcessorLags(Duration.ofMillis(400), // 20 chunks
                (source, recorder) -> await("the recorder's buffer overflowed", () -> recorder.chunksDropped() >= 10));

        List<Gap> gaps = assertEveryChunkOnceOrInAGap(r.processor(), r.source(), RESTART_TOTAL);
        assertThat(gaps).hasSize(1);
        Gap gap = gaps.get(0);
        assertThat(gap.reason()).isEqualTo(GapReason.NOT_AVAILABLE);
        // Where delivery stopped (checked above: the gap starts right after the last chunk processed) depends on a
        // race the test does not control: the chunks already queued behind the gate (21..) are processed if the gate
        // opens before the processor notices the mailman has gone, and dropped (to come again, or in the gap) if after.
        assertThat(gap.fromSeq()).as("not before the chunk the processor was held on").isGreaterThanOrEqualTo(21);
        assertThat(gap.count()).as("at least what the recorder dropped").isGreaterThanOrEqualTo(r.recorder().chunksDropped());
    }

    @Test
    void aProcessorThatStopsReadingLongerThanTheRetentionGetsTheEvictedRangeAsOneGapThenTheRest() throws Exception {
        Mailman mailman = track(new Mailman(TestConfigs.fast().retention(Duration.ofMillis(300)).build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        TcpProxy proxy = track(new TcpProxy(mailman.port()));
        // A small window, so that what sits in socket buffers while it does not read is small too.
        CollectingProcessor p = track(new CollectingProcessor(ProcessorOptions.builder("p")
                .config(client.toBuilder().port(proxy.port()).build()).window(4).build()));
        p.startAsync();
        p.connected().join();
        int total = 120;
        ScriptedSource source = new ScriptedSource(FRAMES, total, true, -1);
        Recorder recorder = recorder(source, client, FRAMES);
        recorder.startAsync();

        await("20 chunks delivered", () -> p.chunks.size() >= 20);
        proxy.pauseDownstream(true); // its socket stays open; it just reads nothing
        long pausedAt = recorder.chunksAcknowledged();
        await("1.2 s of audio stored meanwhile (retention: 0.3 s)", () -> recorder.chunksAcknowledged() >= pausedAt + 60);
        proxy.pauseDownstream(false);
        await("the last chunk delivered", () -> hasSeq(p, total - 1));

        List<Gap> gaps = assertEveryChunkOnceOrInAGap(p, source, total);
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).reason()).isEqualTo(GapReason.RETENTION_EXCEEDED);
        assertThat(gaps.get(0).count()).isEqualTo(mailman.stats().snapshot().gapChunks());
        assertThat(proxy.connectionsAccepted()).as("the same connection throughout").isEqualTo(1);
    }

    @Test
    void theMailmanDropsAProcessorThatFallsSilentWithinTheHeartbeatTimeout() throws Exception {
        NetworkConfig config = TestConfigs.fast().heartbeat(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofMillis(500)).build();
        Mailman mailman = track(new Mailman(config).startAsync());
        // A client that registers and then says nothing, not even PONG: as if its host had vanished.
        RawClient silent = track(new RawClient(mailman.port()));
        long helloSentAt = System.nanoTime();
        silent.send(new Hello(Role.PROCESSOR.code(), "ghost", 1, "", 8, StartPosition.LIVE, List.of(), Map.of()));
        Message welcome = silent.read();
        assertThat(welcome).isInstanceOf(Welcome.class);
        long silentSince = System.nanoTime();
        assertThat(mailman.processors()).contains("ghost");

        await("the mailman released the silent processor", () -> !mailman.processors().contains("ghost"));
        long now = System.nanoTime();
        assertThat((now - helloSentAt) / 1_000_000).as("not before the timeout: the last byte it sent was HELLO")
                .isGreaterThanOrEqualTo(500L);
        assertThat((now - silentSince) / 1_000_000).as("promptly after it").isLessThanOrEqualTo(500L + 1_500L);
        assertThat(silent.closedByPeer()).isTrue();
    }

    @Test
    void aRecorderBehindAHalfOpenPathNoticesWithinTheHeartbeatTimeoutReconnectsAndLosesNothing() throws Exception {
        NetworkConfig config = TestConfigs.fast().heartbeat(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofMillis(500)).build();
        Mailman mailman = track(new Mailman(config).startAsync());
        NetworkConfig client = TestConfigs.clientOf(config, mailman.port());
        TcpProxy proxy = track(new TcpProxy(mailman.port()));
        CollectingProcessor p = track(new CollectingProcessor(ProcessorOptions.builder("p").config(client).build()));
        p.startAsync();
        p.connected().join();
        List<String> disconnects = new CopyOnWriteArrayList<>();
        List<Long> disconnectedAt = new CopyOnWriteArrayList<>();
        int total = 100;
        ScriptedSource source = new ScriptedSource(FRAMES, total, true, -1);
        Recorder recorder = track(new Recorder(source, RecorderOptions.builder().config(client.toBuilder().port(proxy.port()).build())
                .stream("mic").period(PERIOD).listener(new ClientListener() {
                    @Override
                    public void onDisconnected(String reason) {
                        disconnectedAt.add(System.nanoTime());
                        disconnects.add(reason);
                    }
                }).build()));
        recorder.startAsync();

        await("20 chunks delivered", () -> p.chunks.size() >= 20);
        long cutAt = System.nanoTime();
        proxy.blackholeCurrent(); // both ends stay connected; nothing gets through either way
        await("the recorder noticed", () -> !disconnects.isEmpty());
        long detectedMillis = (disconnectedAt.get(0) - cutAt) / 1_000_000;
        assertThat(disconnects.get(0)).contains("silent").contains("HEARTBEAT_TIMEOUT_SECONDS");
        // Within the timeout (plus scheduling slack on a loaded machine) of the moment the path died.
        assertThat(detectedMillis).isLessThanOrEqualTo(500L + 1_500L);

        await("the last chunk delivered", () -> hasSeq(p, total - 1));
        assertThat(assertEveryChunkOnceOrInAGap(p, source, total)).isEmpty();
        assertThat(proxy.connectionsAccepted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLateJoinerAskingForFiveSecondsBackGetsTheLastFiveSecondsThenLiveChunks() throws Exception {
        Mailman mailman = track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        int frames = 1600; // 0.1 s chunks
        int total = 100;
        // 6 s of audio at once, then held: the joiner comes in between.
        ScriptedSource source = new ScriptedSource(frames, total, false, 60);
        Recorder recorder = recorder(source, client, frames);
        recorder.startAsync();
        await("6 s of audio stored", () -> recorder.chunksAcknowledged() == 60);

        CollectingProcessor late = track(new CollectingProcessor(ProcessorOptions.builder("late").config(client)
                .start(StartPosition.secondsBack(Duration.ofSeconds(5))).build()));
        late.startAsync();
        late.connected().join();
        await("the last 5 s delivered", () -> hasSeq(late, 59));
        source.release();
        await("the live chunks delivered", () -> hasSeq(late, total - 1));

        List<Long> seqs = late.seqs("mic");
        assertThat(seqs.get(0)).as("5 s back from the end of chunk 59 is the start of chunk 10").isEqualTo(10);
        assertThat(seqs).containsExactlyElementsOf(java.util.stream.LongStream.range(10, total).boxed().toList());
        AudioChunk first = late.chunks.get(0);
        AudioChunk newest = late.chunks.get(49);
        assertThat(newest.captureTimeNanos() + newest.durationNanos() - first.captureTimeNanos())
                .isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(late.gaps).isEmpty();
        for (AudioChunk c : late.chunks) {
            assertThat(source.isChunk(c.seq(), c.data())).isTrue();
        }
    }
}
