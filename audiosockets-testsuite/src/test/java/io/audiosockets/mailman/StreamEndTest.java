package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.GapFrame;
import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.config.Limits;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What becomes of a stream whose recorder has gone (PROTOCOL.md §5.13): once quiet for the
 * retention it is forgotten, so that stream names used once do not hold memory and MAX_STREAMS
 * slots for ever; its numbering continues when a recorder of the name returns; and no processor
 * loses anything silently on the way: one still behind, or away, gets a gap for exactly the rest.
 * Raw clients, so every seq and acknowledgement is the test's; the mailman's time is virtual, so
 * the retention passes exactly when the test advances it, and never by itself in between.
 */
@Timeout(30)
class StreamEndTest {
    private static final Duration RETENTION = Duration.ofMillis(300);
    private static final Duration NEXT = Duration.ofSeconds(5);

    @RegisterExtension
    final MailmanFixture fixture = MailmanFixture.virtualTime();

    /** A mailman of its own: the retention also sets how often it looks for quiet streams (a quarter of it, in real time). */
    private Mailman start(Duration retention, Limits limits) {
        return fixture.start(TestConfigs.fast().retention(retention).limits(limits));
    }

    private Mailman start() {
        return start(RETENTION, Limits.DEFAULTS);
    }

    private static AudioChunk chunk(long seq) {
        return chunk("mic", seq);
    }

    private static AudioChunk chunk(String stream, long seq) {
        byte[] data = new byte[320];
        data[0] = (byte) seq;
        return new AudioChunk(stream, seq, seq * 10_000_000L, 16_000, 1, SampleFormat.PCM_S16LE, data);
    }

    /** Sends HELLO and returns the first answer: WELCOME or ERROR. */
    private RawClient connect(Mailman mailman, Role role, String name, int window, String... streams) throws IOException {
        return connect(mailman, role, name, window, Map.of(), streams);
    }

    private RawClient connect(Mailman mailman, Role role, String name, int window, Map<String, Long> positions,
                              String... streams) throws IOException {
        RawClient c = fixture.track(new RawClient(mailman.port()));
        c.send(new Hello(role.code(), name, name.hashCode(), "", window, StartPosition.RESUME, List.of(streams), positions));
        return c;
    }

    private Welcome welcomed(RawClient c) throws IOException {
        Message m = c.readSkippingHeartbeats(NEXT);
        assertThat(m).isInstanceOf(Welcome.class);
        return (Welcome) m;
    }

    /** A recorder of "mic" that sends {@code from..to}, waits until the mailman holds them, and leaves. */
    private void record(Mailman mailman, long from, long to) throws IOException {
        try (RawClient r = recording(mailman, from, to)) {
            // leaves
        }
    }

    /** A recorder of "mic" that sends {@code from..to} and waits until the mailman holds them. */
    private RawClient recording(Mailman mailman, long from, long to) throws IOException {
        RawClient r = connect(mailman, Role.RECORDER, "mic", 64);
        assertThat(welcomed(r).lastSeq()).as("where the mailman says mic stands").isEqualTo(from - 1);
        for (long seq = from; seq <= to; seq++) {
            r.send(new AudioMessage(chunk(seq), 0));
        }
        Message m;
        do {
            m = r.readSkippingHeartbeats(NEXT);
        } while (!(m instanceof Ack a && a.seq() == to));
        return r;
    }

    private static void expectAudio(RawClient c, long from, long to) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            Message m = c.readSkippingHeartbeats(NEXT);
            assertThat(m).as("seq %d", seq).isInstanceOf(AudioFrame.class);
            AudioFrame f = (AudioFrame) m;
            try {
                assertThat(f.seq()).isEqualTo(seq);
                assertThat(f.toChunk().data()[0]).isEqualTo((byte) seq);
            } finally {
                f.release();
            }
        }
    }

    private static void expectGap(RawClient c, long from, long to) throws IOException {
        Message m = c.readSkippingHeartbeats(NEXT);
        assertThat(m).isInstanceOf(GapFrame.class);
        Gap g = ((GapFrame) m).gap();
        assertThat(g.fromSeq()).isEqualTo(from);
        assertThat(g.toSeq()).isEqualTo(to);
        assertThat(g.reason()).isEqualTo(GapReason.RETENTION_EXCEEDED);
        assertThat(g.message()).containsPattern("'mic' (had )?ended");
    }

    /**
     * Once the mailman has seen mic's recorder leave (the quiet counts from then), lets the
     * retention pass and waits until the mailman has forgotten mic.
     */
    private void awaitForgotten(Mailman mailman) {
        await("mic's recorder gone", () -> !mailman.recorders().contains("mic"));
        fixture.ticker().advance(mailman.config().retention());
        await("mic forgotten", () -> !mailman.streams().contains("mic"));
    }

    @Test
    void aStreamWhoseRecorderLeftIsForgottenAndARecorderOfItsNameContinuesItsNumbers() throws IOException {
        Mailman mailman = start();
        RawClient p = connect(mailman, Role.PROCESSOR, "p", 64, "mic");
        welcomed(p);
        record(mailman, 0, 9);
        expectAudio(p, 0, 9);
        p.send(new Ack("mic", 9));
        awaitForgotten(mailman);
        assertThat(mailman.stats().snapshot().streamsForgotten()).isEqualTo(1);

        record(mailman, 10, 14); // asserts WELCOME says 9: the numbering continues
        expectAudio(p, 10, 14);
        assertThat(mailman.stats().snapshot().gaps()).as("a processor that had everything misses nothing").isZero();
    }

    /** A processor with a window of 2 that has read chunks 0 and 1 of 0..9 and acknowledged none when mic is forgotten. */
    private RawClient behindWhenForgotten(Mailman mailman) throws IOException {
        RawClient p = connect(mailman, Role.PROCESSOR, "p", 2, "mic");
        welcomed(p);
        record(mailman, 0, 9);
        expectAudio(p, 0, 1); // its window is full: it reads nothing more, not even its last gap, until it acknowledges
        awaitForgotten(mailman);
        return p;
    }

    /**
     * Processor "p" receives chunks 0..{@code upTo} of a recorder that then leaves, acknowledges up to
     * {@code acked} (read by the mailman before the close that follows), stays until mic is
     * forgotten if asked to, and disconnects.
     */
    private void processorThatLeaves(Mailman mailman, long upTo, long acked, boolean untilForgotten) throws IOException {
        try (RawClient p = connect(mailman, Role.PROCESSOR, "p", 64, "mic")) {
            welcomed(p);
            record(mailman, 0, upTo);
            expectAudio(p, 0, upTo);
            p.send(new Ack("mic", acked));
            if (untilForgotten) {
                awaitForgotten(mailman);
            }
        }
        await("p unregistered", () -> mailman.processors().isEmpty());
    }

    @Test
    void aProcessorStillBehindWhenItsStreamIsForgottenGetsOneGapForTheRest() throws IOException {
        Mailman mailman = start();
        RawClient p = behindWhenForgotten(mailman);

        p.send(new Ack("mic", 1));
        expectGap(p, 2, 9);
        p.send(new Ack("mic", 9));
        record(mailman, 10, 11);
        expectAudio(p, 10, 11);
    }

    @Test
    void aStreamThatComesBackBeforeAProcessorTookItsLastGapGivesItTheGapThenTheNewChunks() throws IOException {
        Mailman mailman = start();
        RawClient p = behindWhenForgotten(mailman);
        record(mailman, 10, 11);

        p.send(new Ack("mic", 1));
        expectGap(p, 2, 9);
        p.send(new Ack("mic", 9)); // the gap's range counts in the window, if 10 and 11 were not in its batch
        expectAudio(p, 10, 11);
    }

    @Test
    void aProcessorThatNeverAcknowledgesGapsStillGetsTheReturningStream() throws IOException {
        Mailman mailman = start();
        RawClient p = behindWhenForgotten(mailman);
        p.send(new Ack("mic", 1));
        expectGap(p, 2, 9); // taken from the ended log, alone, and not acknowledged (§5.4 lets a processor rely on
                            // the ACK of the next chunk): its 8 seqs must not keep a window of 2 shut
        record(mailman, 10, 13);
        expectAudio(p, 10, 11);
        p.send(new Ack("mic", 11));
        expectAudio(p, 12, 13);
    }

    @Test
    void aProcessorAwayWhenItsStreamIsForgottenLearnsWhatItMissedWhenItComesBack() throws IOException {
        Mailman mailman = start();
        processorThatLeaves(mailman, 4, 4, false);
        record(mailman, 5, 9);
        awaitForgotten(mailman);

        RawClient back = connect(mailman, Role.PROCESSOR, "p", 64, "mic");
        welcomed(back);
        expectGap(back, 5, 9);
        record(mailman, 10, 10);
        expectAudio(back, 10, 10);
    }

    @Test
    void aProcessorThatHadEverythingWhenTheStreamEndedResumesInItsReturnAfterItWasAway() throws IOException {
        Mailman mailman = start();
        processorThatLeaves(mailman, 9, 9, true);
        record(mailman, 10, 14); // while p is away

        RawClient back = connect(mailman, Role.PROCESSOR, "p", 64, "mic");
        welcomed(back);
        expectAudio(back, 10, 14);
    }

    @Test
    void chunksInFlightWhenTheStreamIsForgottenAreAGapForTheProcessorThatComesBack() throws IOException {
        Mailman mailman = start();
        processorThatLeaves(mailman, 9, 4, true); // 5..9 sent, not acknowledged: the mailman cannot know they were processed

        RawClient back = connect(mailman, Role.PROCESSOR, "p", 64, "mic");
        welcomed(back);
        expectGap(back, 5, 9); // they cannot be sent again: the stream's chunks are gone
        record(mailman, 10, 10);
        expectAudio(back, 10, 10);
    }

    /**
     * Once mic (0..9) is forgotten, a processor the mailman never saw (no parked position) that
     * says in its HELLO where it stands in mic, as the Java one does.
     */
    private RawClient positionedAfterTheEnd(Mailman mailman, long position) throws IOException {
        record(mailman, 0, 9);
        awaitForgotten(mailman);
        RawClient p = connect(mailman, Role.PROCESSOR, "elsewhere", 64, Map.of("mic", position), "mic");
        welcomed(p);
        return p;
    }

    @Test
    void aHelloPositionBeyondTheEndOfAForgottenStreamHoldsWhenItComesBack() throws IOException {
        Mailman mailman = start();
        RawClient p = positionedAfterTheEnd(mailman, 20);
        record(mailman, 10, 24);
        expectAudio(p, 20, 24); // chunks below a processor's start are never sent
    }

    @Test
    void aProcessorAskingForAPositionInAForgottenStreamGetsTheGapToItsEnd() throws IOException {
        Mailman mailman = start();
        RawClient p = positionedAfterTheEnd(mailman, 6);
        expectGap(p, 6, 9);
        record(mailman, 10, 10);
        expectAudio(p, 10, 10);
    }

    @Test
    void aProcessorStillReadingKeepsAnEndedStreamUntilItHasEverything() throws IOException {
        Mailman mailman = start();
        RawClient p = connect(mailman, Role.PROCESSOR, "p", 1, "mic");
        welcomed(p);
        record(mailman, 0, 9);
        leaveAWitness(mailman);
        Duration perChunk = RETENTION.dividedBy(2);
        for (long seq = 0; seq <= 9; seq++) {
            expectAudio(p, seq, seq);
            // The workload: a processor whose reading of the stream's tail lasts five times the retention, each
            // chunk half of it. Were a read not activity, the stream would be forgotten under it by the second.
            fixture.ticker().advance(perChunk);
            if (seq == 5) {
                // The mailman looks for quiet streams on its own (real-time) schedule: once it has forgotten the
                // witness, quiet for 3 retentions now, it has judged mic at this time too, quiet for half of one.
                await("the witness forgotten", () -> !mailman.streams().contains("witness"));
                assertThat(mailman.streams()).as("streams kept while p reads mic's tail, 3 retentions after its recorder left")
                        .contains("mic");
            }
            p.send(new Ack("mic", seq));
        }
        awaitForgotten(mailman);
        assertThat(mailman.stats().snapshot().gaps()).as("reading for 10 x %s ms, none of it lost", perChunk.toMillis())
                .isZero();
    }

    /** A stream "witness" whose recorder has left: its end shows that the mailman has looked for quiet streams. */
    private void leaveAWitness(Mailman mailman) throws IOException {
        try (RawClient w = connect(mailman, Role.RECORDER, "witness", 64)) {
            welcomed(w);
            w.send(new AudioMessage(chunk("witness", 0), 0));
            Message m;
            do {
                m = w.readSkippingHeartbeats(NEXT);
            } while (!(m instanceof Ack));
        }
        await("the witness's recorder gone", () -> !mailman.recorders().contains("witness"));
    }

    @Test
    void aForgottenStreamFreesItsPlaceUnderMaxStreams() throws IOException {
        Mailman mailman = start(RETENTION, Limits.DEFAULTS.withMaxStreams(1));
        try (RawClient mic = recording(mailman, 0, 2); RawClient other = connect(mailman, Role.RECORDER, "other", 64)) {
            Message refused = other.readSkippingHeartbeats(NEXT);
            assertThat(refused).isInstanceOf(ErrorMessage.class);
            assertThat(((ErrorMessage) refused).code()).isEqualTo(ErrorCode.LIMIT_REACHED);
            assertThat(((ErrorMessage) refused).message()).contains("MAX_STREAMS", "RETENTION_SECONDS");
        }
        awaitForgotten(mailman);
        welcomed(connect(mailman, Role.RECORDER, "other", 64));
    }
}
