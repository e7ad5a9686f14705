package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.GapFrame;
import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.ReplayAnswer;
import io.audiosockets.internal.protocol.ReplayRequest;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mailman's side of REPLAY (PROTOCOL.md §5.12), byte by byte with raw clients: a processor
 * resumes at a position older than anything the mailman holds (as after a restart) and the
 * mailman asks the recorder; each way the recorder can answer (fully, in part, not at all,
 * wrongly) gives the processor every chunk or an exact gap, and never a stall.
 */
@Timeout(30)
class ReplayProtocolTest {
    private static final Duration NEXT = Duration.ofSeconds(5);
    private Mailman mailman;
    private RawClient recorder;

    @BeforeEach
    void start() throws IOException {
        // A short heartbeat timeout: it bounds how long the mailman waits for a REPLAY_ANSWER.
        mailman = new Mailman(TestConfigs.fast().heartbeat(Duration.ofMillis(300)).heartbeatTimeout(Duration.ofSeconds(1))
                .build()).startAsync();
        recorder = new RawClient(mailman.port());
        recorder.send(new Hello(Role.RECORDER.code(), "mic", 1, "", 64, StartPosition.RESUME, List.of(), Map.of()));
        assertThat(recorder.readSkippingHeartbeats(NEXT)).isInstanceOf(Welcome.class);
        // The mailman's log of "mic" begins at seq 10, as after a restart: 0..9 only the recorder has.
        for (long seq = 10; seq <= 19; seq++) {
            recorder.send(new AudioMessage(chunk(seq), 0));
        }
        Message m;
        do {
            m = recorder.readSkippingHeartbeats(NEXT);
        } while (!(m instanceof Ack a && a.seq() == 19));
    }

    @AfterEach
    void stop() throws IOException {
        recorder.close();
        mailman.close();
    }

    private static AudioChunk chunk(long seq) {
        byte[] data = new byte[320];
        data[0] = (byte) seq;
        return new AudioChunk("mic", seq, seq * 10_000_000L, 16_000, 1, SampleFormat.PCM_S16LE, data);
    }

    /** A processor that comes back wanting "mic" from seq 3 on, as one does after a mailman restart. */
    private RawClient resumingProcessor() throws IOException {
        RawClient p = new RawClient(mailman.port());
        p.send(new Hello(Role.PROCESSOR.code(), "p", 2, "", 64, StartPosition.RESUME, List.of(), Map.of("mic", 3L)));
        assertThat(p.readSkippingHeartbeats(NEXT)).isInstanceOf(Welcome.class);
        return p;
    }

    private static long nextAudioSeq(RawClient c) throws IOException {
        Message m = c.readSkippingHeartbeats(NEXT);
        assertThat(m).isInstanceOf(AudioFrame.class);
        AudioFrame f = (AudioFrame) m;
        try {
            assertThat(f.toChunk().data()[0]).as("the bytes of seq %d", f.seq()).isEqualTo((byte) f.seq());
            return f.seq();
        } finally {
            f.release();
        }
    }

    private static void expectAudio(RawClient c, long from, long to) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            assertThat(nextAudioSeq(c)).isEqualTo(seq);
        }
    }

    private ReplayRequest expectRequest() throws IOException {
        Message m = recorder.readSkippingHeartbeats(NEXT);
        assertThat(m).isInstanceOf(ReplayRequest.class);
        return (ReplayRequest) m;
    }

    @Test
    void aFullReplayIsDeliveredBeforeWhatTheMailmanHeldAndCountedInTheStats() throws IOException {
        try (RawClient p = resumingProcessor()) {
            assertThat(expectRequest()).isEqualTo(new ReplayRequest("mic", 3, 9));
            recorder.send(new ReplayAnswer("mic", 3, 7));
            for (long seq = 3; seq <= 9; seq++) {
                recorder.send(new AudioMessage(chunk(seq), 0));
            }
            expectAudio(p, 3, 19);
            await("replayed chunks counted", () -> mailman.stats().snapshot().chunksReplayed() == 7);
        }
    }

    @Test
    void whatTheRecorderNoLongerHoldsIsOneNotAvailableGapThenTheRest() throws IOException {
        try (RawClient p = resumingProcessor()) {
            expectRequest();
            recorder.send(new ReplayAnswer("mic", 6, 4)); // 3..5 are gone from its buffer too
            for (long seq = 6; seq <= 9; seq++) {
                recorder.send(new AudioMessage(chunk(seq), 0));
            }
            Message m = p.readSkippingHeartbeats(NEXT);
            assertThat(m).isInstanceOf(GapFrame.class);
            Gap g = ((GapFrame) m).gap();
            assertThat(g.fromSeq()).isEqualTo(3);
            assertThat(g.toSeq()).isEqualTo(5);
            assertThat(g.reason()).isEqualTo(GapReason.NOT_AVAILABLE);
            expectAudio(p, 6, 19);
        }
    }

    @Test
    void aSourceSkipInsideTheReplayIsASourceSkippedGap() throws IOException {
        try (RawClient p = resumingProcessor()) {
            expectRequest();
            recorder.send(new ReplayAnswer("mic", 3, 5)); // 3, 4, then 7, 8, 9: the source lost 5 and 6
            for (long seq : new long[] {3, 4, 7, 8, 9}) {
                recorder.send(new AudioMessage(chunk(seq), 0));
            }
            expectAudio(p, 3, 4);
            Gap g = ((GapFrame) p.readSkippingHeartbeats(NEXT)).gap();
            assertThat(List.of(g.fromSeq(), g.toSeq())).containsExactly(5L, 6L);
            assertThat(g.reason()).isEqualTo(GapReason.SOURCE_SKIPPED);
            expectAudio(p, 7, 19);
        }
    }

    @Test
    void aRecorderThatNeverAnswersCostsTheProcessorAGapAfterTheHeartbeatTimeoutNotAStall() throws Exception {
        try (RawClient p = resumingProcessor()) {
            expectRequest(); // and never answered; but alive: it pings, for longer than the 1 s the mailman waits
            for (int i = 0; i < 6; i++) {
                recorder.send(new Ping(i));
                p.send(new Ping(i));
                Thread.sleep(300); // heartbeat pacing, not synchronisation
            }
            Gap g = ((GapFrame) p.readSkippingHeartbeats(NEXT)).gap();
            assertThat(List.of(g.fromSeq(), g.toSeq())).containsExactly(3L, 9L);
            assertThat(g.reason()).isEqualTo(GapReason.NOT_AVAILABLE);
            expectAudio(p, 10, 19);
            // A late answer is not an error: its frames are discarded and the recorder goes on.
            recorder.send(new ReplayAnswer("mic", 3, 1));
            recorder.send(new AudioMessage(chunk(3), 0));
            recorder.send(new AudioMessage(chunk(20), 0));
            expectAudio(p, 20, 20);
        }
    }

    @Test
    void aReplayedFrameOutsideTheAnnouncedRangeIsAProtocolErrorAndTheProcessorGetsAGap() throws IOException {
        try (RawClient p = resumingProcessor()) {
            expectRequest();
            recorder.send(new ReplayAnswer("mic", 3, 2));
            recorder.send(new AudioMessage(chunk(12), 0)); // not in 3..9
            Message m;
            do {
                m = recorder.readSkippingHeartbeats(NEXT);
            } while (!(m instanceof ErrorMessage));
            assertThat(((ErrorMessage) m).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
            assertThat(((ErrorMessage) m).message()).contains("replayed AUDIO seq 12").contains("3..9");
            assertThat(recorder.closedByPeer()).isTrue();
            // The recorder is gone, so nobody can replay: the processor is told at once, not left waiting,
            // and gets what the mailman has.
            Gap g = ((GapFrame) p.readSkippingHeartbeats(NEXT)).gap();
            assertThat(List.of(g.fromSeq(), g.toSeq())).containsExactly(3L, 9L);
            assertThat(g.reason()).isEqualTo(GapReason.NOT_AVAILABLE);
            expectAudio(p, 10, 19);
        }
    }
}
