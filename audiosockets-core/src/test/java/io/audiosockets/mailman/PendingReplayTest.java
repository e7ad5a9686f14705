package io.audiosockets.mailman;

import static io.audiosockets.mailman.TestFrames.audio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.internal.protocol.StreamFrame;
import org.junit.jupiter.api.Test;

/** One replay's life, alone: request, answer, frames, and complete, timed out or cancelled. */
class PendingReplayTest {

    @Test
    void answeredFramesCompleteTheReplayWithTheLastAnnounced() {
        PendingReplay p = new PendingReplay(1, 10, 19);
        assertThat(p.state()).isEqualTo(PendingReplay.State.REQUESTED);
        assertThat(p.accepts(12)).as("no frame before the answer").isFalse();
        assertThat(p.answer(12, 3)).isTrue();
        assertThat(p.state()).isEqualTo(PendingReplay.State.ANSWERED);
        assertThat(p.accepts(11)).as("before what was announced").isFalse();
        assertThat(p.accepts(20)).as("beyond the range").isFalse();
        assertThat(p.add(audio(12))).isFalse();
        assertThat(p.accepts(12)).as("again").isFalse();
        assertThat(p.add(audio(14))).as("a hole in what the recorder still has").isFalse();
        assertThat(p.finished()).isFalse();
        assertThat(p.add(audio(15))).isTrue();
        assertThat(p.state()).isEqualTo(PendingReplay.State.COMPLETE);
        assertThat(p.frames()).extracting(StreamFrame::seq).containsExactly(12L, 14L, 15L);
        assertThat(p.lostUpTo()).as("what the recorder no longer had").isEqualTo(11);
        p.frames().forEach(StreamFrame::release);
    }

    @Test
    void anAnswerThatDoesNotFitTheRangeIsRefused() {
        PendingReplay p = new PendingReplay(1, 10, 19);
        assertThat(p.answer(9, 1)).isFalse();
        assertThat(p.answer(21, 0)).isFalse();
        assertThat(p.answer(10, 11)).as("more frames than the range has").isFalse();
        assertThat(p.state()).isEqualTo(PendingReplay.State.REQUESTED);
        assertThat(p.answer(10, 10)).isTrue();
        assertThat(p.answer(10, 10)).as("a second answer").isFalse();
        assertThat(p.lostUpTo()).isEqualTo(-1);
        p.cancel();
    }

    @Test
    void anAnswerOfNothingCompletesAtOnceWithTheWholeRangeLost() {
        PendingReplay p = new PendingReplay(1, 10, 19);
        assertThat(p.answer(20, 0)).isTrue();
        assertThat(p.state()).isEqualTo(PendingReplay.State.COMPLETE);
        assertThat(p.frames()).isEmpty();
        assertThat(p.lostUpTo()).isEqualTo(19);
    }

    @Test
    void aTimeoutCountsTheRangeAsLostUnlessAnsweredOrStale() {
        PendingReplay p = new PendingReplay(7, 10, 19);
        assertThat(p.timeOut(6)).as("an older request's timeout").isFalse();
        assertThat(p.timeOut(7)).isTrue();
        assertThat(p.state()).isEqualTo(PendingReplay.State.TIMED_OUT);
        assertThat(p.finished()).isTrue();
        assertThat(p.frames()).isEmpty();
        assertThat(p.lostUpTo()).isEqualTo(19);
        assertThat(p.answer(10, 1)).as("an answer after the timeout").isFalse();

        PendingReplay answered = new PendingReplay(8, 10, 19);
        answered.answer(10, 2);
        assertThat(answered.timeOut(8)).as("answered in time").isFalse();
        answered.cancel();
    }

    @Test
    void cancellingReleasesTheFramesReceived() {
        PendingReplay p = new PendingReplay(1, 10, 19);
        p.answer(10, 5);
        StreamFrame f = audio(10);
        p.add(f);
        p.cancel();
        assertThat(p.state()).isEqualTo(PendingReplay.State.CANCELLED);
        assertThat(f.refCnt()).isZero();
        assertThat(p.accepts(11)).isFalse();
        assertThatThrownBy(p::frames).isInstanceOf(IllegalStateException.class).hasMessageContaining("CANCELLED");
    }

    @Test
    void aFrameNotAcceptedIsRefusedAndTheErrorSaysWhatWasAnnounced() {
        PendingReplay p = new PendingReplay(1, 10, 19);
        assertThat(p.announced()).isEqualTo(" (no replay announced)");
        p.answer(12, 3);
        p.add(audio(13));
        assertThat(p.announced()).isEqualTo(" 12..19 after seq 13");
        StreamFrame stale = audio(13);
        assertThatThrownBy(() -> p.add(stale)).isInstanceOf(IllegalStateException.class);
        stale.release();
        assertThatThrownBy(p::frames).as("not finished").isInstanceOf(IllegalStateException.class);
        p.cancel();
    }
}
