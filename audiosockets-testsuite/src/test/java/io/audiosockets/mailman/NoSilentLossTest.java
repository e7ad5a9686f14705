package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.GapFrame;
import static io.audiosockets.testkit.CollectingProcessor.await;
import static io.audiosockets.testkit.Wire.Item;
import static io.audiosockets.testkit.Wire.audio;
import static io.audiosockets.testkit.Wire.audioItems;
import static io.audiosockets.testkit.Wire.batch;
import static io.audiosockets.testkit.Wire.expectError;
import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.next;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.Pong;
import io.audiosockets.internal.protocol.ReplayAnswer;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.VirtualTicker;
import io.audiosockets.testkit.Wire;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loss bugs of issue 13, each shown end to end or byte by byte: chunks a recorder dropped
 * before the mailman was reached are a gap, not a silent start; a source that can wait is held
 * back, never dropped; a processor that registers just after a recorder flushed its backlog gets
 * it; the ACK for AUDIO read together with a BYE comes before the BYE's answer; an unrequested
 * REPLAY_ANSWER is refused instead of swallowing the AUDIO after it.
 */
@Timeout(60)
class NoSilentLossTest {
    private static final int FRAMES = 320; // 20 ms at 16 kHz

    @RegisterExtension
    final Closer closer = new Closer();
    /** The time of {@link #mailman()}: a chunk is "just in" for RESUME until the test advances this. */
    private final VirtualTicker time = new VirtualTicker();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Mailman mailman() {
        return closer.track(new Mailman(TestConfigs.fast().build(), time).startAsync()); // RECONNECT_SECONDS 0.1
    }

    private Recorder javaRecorder(ScriptedSource source, NetworkConfig client) {
        return closer.track(new Recorder(source, RecorderOptions.builder().config(client).stream("mic")
                .period(Duration.ofNanos(FRAMES * 1_000_000_000L / 16_000)).build()));
    }

    // ------------------------------------------------------------ item 1: dropped before the first connection

    @Test
    void chunksALiveRecorderDroppedBeforeTheMailmanWasReachedAreAGapForAProcessorThatWasThereFirst() throws Exception {
        int port = freePort();
        NetworkConfig config = TestConfigs.fast().port(port).build();
        // The recorder retries slowly, so the processor, retrying fast, is registered before the stream exists.
        NetworkConfig recorderConfig = config.toBuilder().reconnectInterval(Duration.ofSeconds(2))
                .recorderBuffer(Duration.ofMillis(200)).build(); // 10 chunks
        ScriptedSource mic = new ScriptedSource(FRAMES, 30, false, -1, true); // a live source: it cannot wait
        Recorder recorder = javaRecorder(mic, recorderConfig);
        recorder.startAsync();
        await("30 chunks captured, 20 dropped while no mailman was there", () -> recorder.chunksDropped() == 20);

        Mailman mailman = closer.track(new Mailman(config).startAsync());
        CollectingProcessor p = closer.track(new CollectingProcessor(ProcessorOptions.builder("p").config(config).build()));
        p.startAsync();
        p.connected().join();
        assertThat(mailman.streams()).as("the processor registered before the stream existed").isEmpty();
        await("the last chunk delivered", () -> p.seqs("mic").contains(29L));

        assertThat(p.gaps).as("the dropped chunks, exactly, as a gap").singleElement().satisfies(g -> {
            assertThat(g.fromSeq()).isZero();
            assertThat(g.toSeq()).isEqualTo(19);
            assertThat(g.reason()).isEqualTo(GapReason.SOURCE_SKIPPED);
        });
        assertThat(p.seqs("mic")).containsExactlyElementsOf(LongStream.rangeClosed(20, 29).boxed().toList());
        for (var c : p.chunks) {
            assertThat(mic.isChunk(c.seq(), c.data())).as("chunk %d's bytes", c.seq()).isTrue();
        }
    }

    @Test
    void aRecorderGapBeforeTheFirstChunkIsWhereTheStreamBeginsForEveryProcessor() throws Exception {
        Mailman mailman = mailman();
        RawClient first = closer.track(processor(mailman.port(), "first", StartPosition.RESUME, "mic"));
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        rec.send(new GapFrame(new Gap("mic", 0, 19, GapReason.SOURCE_SKIPPED, "dropped before the mailman was reached")));
        produce(rec, "mic", 20, 24);
        RawClient oldest = closer.track(processor(mailman.port(), "oldest", StartPosition.OLDEST, "mic"));

        List<Item> expected = new ArrayList<>(List.of(Item.gap("mic", 0, 19, "SOURCE_SKIPPED")));
        expected.addAll(audioItems("mic", 20, 24));
        assertThat(items(first, 6)).containsExactlyElementsOf(expected);
        assertThat(items(oldest, 6)).containsExactlyElementsOf(expected);
    }

    @Test
    void aProcessorThatRegistersBetweenTheRecordersGapAndItsFirstChunkStartsAtTheGap() throws Exception {
        Mailman mailman = mailman();
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        rec.send(batch(new GapFrame(new Gap("mic", 0, 19, GapReason.SOURCE_SKIPPED, "dropped")), new Ping(42)));
        assertThat(rec.read()).as("the GAP was handled before the PONG").isInstanceOf(Pong.class);
        List<StartPosition> starts = List.of(StartPosition.OLDEST, StartPosition.RESUME, StartPosition.LIVE,
                StartPosition.secondsBack(Duration.ofSeconds(1)));
        List<RawClient> processors = new ArrayList<>();
        for (StartPosition start : starts) {
            processors.add(closer.track(processor(mailman.port(), "p-" + start.mode(), start, "mic")));
        }
        produce(rec, "mic", 20, 21);

        List<Item> expected = new ArrayList<>(List.of(Item.gap("mic", 0, 19, "SOURCE_SKIPPED")));
        expected.addAll(audioItems("mic", 20, 21));
        for (int i = 0; i < starts.size(); i++) {
            assertThat(items(processors.get(i), 3)).as("start %s", starts.get(i).mode()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aRecorderThatSendsNoGapStillBeginsTheStreamAtItsFirstChunkAsAfterAMailmanRestart() throws Exception {
        Mailman mailman = mailman();
        RawClient p = closer.track(processor(mailman.port(), "p", StartPosition.RESUME, "mic"));
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        produce(rec, "mic", 40, 42);

        assertThat(items(p, 3)).containsExactlyElementsOf(audioItems("mic", 40, 42));
    }

    @Test
    void aRecorderMaySendOnlySourceSkippedGapsOfItsOwnStream() throws Exception {
        Mailman mailman = mailman();
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        rec.send(new GapFrame(new Gap("mic", 0, 3, GapReason.RETENTION_EXCEEDED, "not the recorder's to say")));
        assertThat(expectError(rec, ErrorCode.UNEXPECTED_FRAME).message()).contains("SOURCE_SKIPPED");
        RawClient other = closer.track(recorder(mailman.port(), "mic2"));
        other.send(new GapFrame(new Gap("mic", 0, 3, GapReason.SOURCE_SKIPPED, "another stream")));
        assertThat(expectError(other, ErrorCode.UNEXPECTED_FRAME).message()).contains("'mic'", "'mic2'");
    }

    // ------------------------------------------------------------ item 2: a source that can wait is held back

    @Test
    void aFileOrPipeLongerThanTheRecorderBufferIsHeldBackUntilTheMailmanComesAndLosesNothing() throws Exception {
        int port = freePort();
        NetworkConfig config = TestConfigs.fast().port(port).build();
        NetworkConfig recorderConfig = config.toBuilder().recorderBuffer(Duration.ofMillis(200)).build(); // 10 chunks
        ScriptedSource file = new ScriptedSource(FRAMES, 100, false, -1); // as fast as it is read, and can wait
        try (LogCapture log = new LogCapture()) {
            Recorder recorder = javaRecorder(file, recorderConfig);
            Thread run = new Thread(recorder::start, "recorder-start");
            run.start();
            await("the source held back", () -> log.has("holding the source back"));
            assertThat(file.chunksRead()).as("read no further than the buffer holds, plus the chunk in hand").isLessThanOrEqualTo(11);

            closer.track(new Mailman(config).startAsync());
            CollectingProcessor p = closer.track(new CollectingProcessor(ProcessorOptions.builder("p").config(config)
                    .start(StartPosition.OLDEST).build()));
            p.startAsync();
            run.join(30_000);
            assertThat(run.isAlive()).as("start() returned once everything was acknowledged").isFalse();
            await("the last chunk delivered", () -> p.seqs("mic").contains(99L));

            assertThat(recorder.chunksDropped()).isZero();
            assertThat(recorder.chunksUnacknowledged()).isZero();
            assertThat(p.gaps).isEmpty();
            assertThat(p.seqs("mic")).containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
        }
    }

    @Test
    void aRecorderClosedTwiceReportsWhatTheMailmanNeverAcknowledgedOnce() throws Exception {
        NetworkConfig nobody = TestConfigs.fast().port(freePort()).build();
        ScriptedSource mic = new ScriptedSource(FRAMES, 3, false, -1, true);
        try (LogCapture log = new LogCapture()) {
            Recorder recorder = javaRecorder(mic, nobody);
            recorder.startAsync();
            recorder.captureEnded().join();
            recorder.close(); // as record's Ctrl-C hook does...
            recorder.close(); // ...and start() after it
            assertThat(log.messages().stream().filter(m -> m.contains("never acknowledged")).count()).isEqualTo(1);
            assertThat(log.has("closing with 3 chunk(s) the mailman never acknowledged")).isTrue();
        }
    }

    // ------------------------------------------------------------ item 3: start them in any order

    @Test
    void aProcessorThatRegistersJustAfterARecorderFlushedItsBacklogGetsTheBacklog() throws Exception {
        Mailman mailman = mailman();
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        produce(rec, "mic", 0, 7); // the backlog, flushed at connect
        RawClient p = closer.track(processor(mailman.port(), "p", StartPosition.RESUME, "mic"));
        RawClient live = closer.track(processor(mailman.port(), "live", StartPosition.LIVE, "mic"));
        produce(rec, "mic", 8, 9);

        assertThat(items(p, 10)).containsExactlyElementsOf(audioItems("mic", 0, 9));
        assertThat(items(live, 2)).as("LIVE is strictly the next new chunk").containsExactlyElementsOf(audioItems("mic", 8, 9));
    }

    @Test
    void aProcessorThatRegistersLongAfterTheLastChunkCameInStartsLive() throws Exception {
        Mailman mailman = mailman(); // the join point: 2 x 100 ms back
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        produce(rec, "mic", 0, 7);
        time.advance(Duration.ofMillis(400)); // the time that passes is what is tested: twice RECONNECT_SECONDS and more
        RawClient p = closer.track(processor(mailman.port(), "p", StartPosition.RESUME, "mic"));
        produce(rec, "mic", 8, 9);

        assertThat(items(p, 2)).containsExactlyElementsOf(audioItems("mic", 8, 9));
    }

    // ------------------------------------------------------------ item 4: AUDIO and BYE in one write

    @Test
    void audioSentTogetherWithByeIsAcknowledgedBeforeTheByeIsAnswered() throws Exception {
        Mailman mailman = mailman();
        RawClient p = closer.track(processor(mailman.port(), "p", StartPosition.RESUME, "mic"));
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        rec.send(batch(audio("mic", 0), audio("mic", 1), audio("mic", 2), new Bye(mailman.config().disconnectMsg())));

        Message first = next(rec);
        assertThat(first).as("the ACK first").isInstanceOfSatisfying(Ack.class, a -> assertThat(a.seq()).isEqualTo(2));
        assertThat(next(rec)).isInstanceOf(Bye.class);
        assertThat(items(p, 3)).containsExactlyElementsOf(audioItems("mic", 0, 2));
    }

    @Test
    void framesAfterAByeInTheSameWriteAreIgnored() throws Exception {
        Mailman mailman = mailman();
        RawClient p = closer.track(processor(mailman.port(), "p", StartPosition.RESUME, "mic"));
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        rec.send(batch(audio("mic", 0), new Bye(mailman.config().disconnectMsg()), audio("mic", 1)));

        assertThat(next(rec)).isInstanceOfSatisfying(Ack.class, a -> assertThat(a.seq()).isZero());
        assertThat(next(rec)).isInstanceOf(Bye.class);
        assertThat(rec.closedByPeer()).isTrue();
        await("the recorder released its name", () -> mailman.recorders().isEmpty());
        // Chunk 1 was never taken: the next recorder of the stream is told the stream ends at 0, and sends it.
        RawClient again = closer.track(new RawClient(mailman.port()));
        again.send(new Hello(Role.RECORDER.code(), "mic", 99, "", 64, StartPosition.RESUME, List.of(), Map.of()));
        assertThat(next(again)).isInstanceOfSatisfying(Welcome.class, w -> assertThat(w.lastSeq()).isZero());
        produce(again, "mic", 1, 1);
        assertThat(items(p, 2)).containsExactlyElementsOf(audioItems("mic", 0, 1));
    }

    // ------------------------------------------------------------ item 5: an unrequested REPLAY_ANSWER

    @Test
    void aReplayAnswerNobodyAskedForIsRefusedAndTheAudioAfterItIsNotAcknowledged() throws Exception {
        Mailman mailman = mailman();
        RawClient p = closer.track(processor(mailman.port(), "p", StartPosition.RESUME, "mic"));
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        produce(rec, "mic", 0, 4);
        rec.send(batch(new ReplayAnswer("mic", 5, 2), audio("mic", 5), audio("mic", 6)));

        assertThat(expectError(rec, ErrorCode.UNEXPECTED_FRAME).message()).as("refused, not swallowed")
                .contains("REPLAY_ANSWER", "no REPLAY");
        // The chunks that came after it were never acknowledged: a recorder resends them on its next connection.
        await("the recorder released its name", () -> mailman.recorders().isEmpty());
        RawClient again = closer.track(recorder(mailman.port(), "mic"));
        produce(again, "mic", 5, 6);
        assertThat(items(p, 7)).containsExactlyElementsOf(audioItems("mic", 0, 6));
    }

    @Test
    void aReplayAnswerThatDoesNotFitTheReplayAskedIsRefused() throws Exception {
        Mailman mailman = mailman();
        RawClient rec = closer.track(recorder(mailman.port(), "mic"));
        produce(rec, "mic", 10, 12); // as after a restart: 0..9 only the recorder has
        closer.track(Wire.processor(mailman.port(), "p", StartPosition.RESUME, 64, java.util.Map.of("mic", 3L), "mic"));
        Message asked = next(rec);
        assertThat(asked).isInstanceOf(io.audiosockets.internal.protocol.ReplayRequest.class);
        rec.send(new ReplayAnswer("mic", 3, 50)); // 3..9 is 7 chunks at most
        assertThat(expectError(rec, ErrorCode.UNEXPECTED_FRAME).message()).contains("does not fit", "3..9");
    }
}
