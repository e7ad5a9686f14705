package io.audiosockets.mailman;

import static io.audiosockets.mailman.TestFrames.CHUNK_NANOS;
import static io.audiosockets.mailman.TestFrames.audio;
import static io.audiosockets.mailman.TestFrames.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.internal.protocol.StreamFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retention ring alone: bounds, skips, replayed chunks, the budget's count and reclaim, the seq queries. */
class RetentionRingTest {
    private static final int FRAME_BYTES = audio(0).encodedBytes();

    private final RetentionBudget budget = new RetentionBudget(Long.MAX_VALUE);

    private RetentionRing audioRing(int chunks) {
        return new RetentionRing(StreamLog.Kind.AUDIO, Duration.ofNanos(chunks * CHUNK_NANOS), Long.MAX_VALUE, -1, budget);
    }

    private static List<Long> seqs(RetentionRing ring) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < ring.size(); i++) {
            seqs.add(ring.entry(i).seq());
        }
        return seqs;
    }

    @Test
    void keepsTheNewestChunksWithinTheDurationAndReleasesTheEvicted() {
        RetentionRing ring = audioRing(5);
        List<StreamFrame> frames = new ArrayList<>();
        for (long s = 0; s < 8; s++) {
            StreamFrame f = audio(s);
            frames.add(f);
            ring.append(f, s);
        }
        assertThat(seqs(ring)).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(ring.coveredFrom()).isEqualTo(3);
        assertThat(ring.nextSeq()).isEqualTo(8);
        assertThat(ring.bytes()).isEqualTo(5L * FRAME_BYTES);
        assertThat(budget.usedBytes()).as("the budget counts what is held").isEqualTo(5L * FRAME_BYTES);
        assertThat(frames.subList(0, 3)).as("evicted chunks are released").allMatch(f -> f.refCnt() == 0);
        assertThat(frames.subList(3, 8)).as("held chunks keep the ring's reference").allMatch(f -> f.refCnt() == 1);
        ring.releaseAll();
    }

    @Test
    void keepsWithinTheBytesButNeverEvictsTheNewest() {
        RetentionRing ring = new RetentionRing(StreamLog.Kind.AUDIO, Duration.ofHours(1), 3L * FRAME_BYTES, -1, budget);
        for (long s = 0; s < 6; s++) {
            ring.append(audio(s), s);
        }
        assertThat(seqs(ring)).containsExactly(3L, 4L, 5L);

        RetentionRing tiny = new RetentionRing(StreamLog.Kind.AUDIO, Duration.ZERO, 1, -1, budget);
        tiny.append(audio(0), 0);
        tiny.append(audio(1), 1);
        assertThat(seqs(tiny)).as("a chunk bigger than both bounds still stays, as the newest").containsExactly(1L);
        ring.releaseAll();
        tiny.releaseAll();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void aJumpInSequenceNumbersIsASkipThatStaysAccountedFor() {
        RetentionRing ring = audioRing(3);
        ring.append(audio(0), 0);
        ring.append(audio(1), 1);
        ring.append(audio(5), 2);
        assertThat(ring.entry(2).skippedFrom()).isEqualTo(2);
        assertThat(ring.entry(1).skippedFrom()).isEqualTo(-1);
        ring.append(audio(6), 3);
        ring.append(audio(7), 4);
        assertThat(seqs(ring)).containsExactly(5L, 6L, 7L);
        assertThat(ring.coveredFrom()).as("the skip before the oldest chunk is still accounted for").isEqualTo(2);
        ring.releaseAll();
        assertThat(ring.coveredFrom()).as("an emptied ring accounts from where it goes on").isEqualTo(8);
    }

    @Test
    void theFirstChunkRecordsTheSkipItWasToldToExpect() {
        RetentionRing ring = audioRing(10);
        ring.expectFirst(10);
        ring.expectFirst(3); // only before the first chunk, and only once
        assertThat(ring.coveredFrom()).isEqualTo(-1);
        ring.append(audio(12), 0);
        assertThat(ring.coveredFrom()).isEqualTo(10);
        assertThat(ring.entry(0).skippedFrom()).isEqualTo(10);
        ring.releaseAll();
    }

    @Test
    void aRingThatContinuesAnEndedStreamAccountsFromItsFirstSeq() {
        RetentionRing ring = new RetentionRing(StreamLog.Kind.AUDIO, Duration.ofSeconds(1), Long.MAX_VALUE, 40, budget);
        assertThat(ring.nextSeq()).isEqualTo(40);
        assertThat(ring.coveredFrom()).isEqualTo(40);
        ring.append(audio(42), 0);
        assertThat(ring.coveredFrom()).isEqualTo(40);
        assertThat(ring.entry(0).skippedFrom()).isEqualTo(40);
        ring.releaseAll();
    }

    @Test
    void refusesAChunkOlderThanTheNextExpected() {
        RetentionRing ring = audioRing(10);
        ring.append(audio(4), 0);
        StreamFrame old = audio(4);
        assertThatThrownBy(() -> ring.append(old, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("seq 4");
        old.release();
        ring.releaseAll();
    }

    @Test
    void replayedChunksGoInFrontAsOldAudioWithTheirHoles() {
        RetentionRing ring = audioRing(100);
        for (long s = 10; s < 13; s++) {
            ring.append(audio(s), 1_000 + s);
        }
        ring.prependReplayed(List.of(audio(5), audio(6), audio(8)));
        assertThat(seqs(ring)).containsExactly(5L, 6L, 8L, 10L, 11L, 12L);
        assertThat(ring.entry(2).skippedFrom()).as("the hole between two replayed chunks").isEqualTo(7);
        assertThat(ring.entry(0).skippedFrom()).isEqualTo(-1);
        assertThat(ring.coveredFrom()).isEqualTo(5);
        assertThat(ring.entry(0).arrivedNanos()).isEqualTo(RetentionRing.REPLAYED);
        assertThat(ring.seqArrivedSince(0)).as("replayed chunks never came in just now").isEqualTo(10);
        assertThat(ring.entry(0).arrivalOrder()).as("replayed chunks come before this stream's others for a reclaim")
                .isLessThan(ring.entry(2).arrivalOrder()).isLessThan(ring.entry(3).arrivalOrder());
        assertThat(ring.entry(0).arrivalOrder()).as("...but not before every other stream's audio")
                .isGreaterThan(Long.MIN_VALUE / 2);
        assertThat(budget.usedBytes()).isEqualTo(6L * FRAME_BYTES);
        ring.releaseAll();
    }

    @Test
    void replayedChunksAreHeldToTheBoundsToo() {
        RetentionRing ring = audioRing(4);
        ring.append(audio(10), 0);
        ring.append(audio(11), 1);
        List<StreamFrame> replayed = List.of(audio(7), audio(8), audio(9));
        ring.prependReplayed(replayed);
        assertThat(seqs(ring)).containsExactly(8L, 9L, 10L, 11L);
        assertThat(replayed.get(0).refCnt()).isZero();
        assertThat(ring.coveredFrom()).isEqualTo(8);
        ring.releaseAll();
    }

    @Test
    void anEmptyReplayIntoARingAReclaimEmptiedAccountsFromWhereItGoesOn() {
        RetentionRing ring = audioRing(10);
        ring.append(audio(3), 0);
        ring.evictArrivedBefore(Long.MAX_VALUE);
        ring.prependReplayed(List.of());
        assertThat(ring.size()).isZero();
        assertThat(ring.coveredFrom()).isEqualTo(4);
    }

    @Test
    void aReclaimLetsGoOfWhatArrivedFirstAcrossRingsEvenTheNewest() {
        RetentionRing a = audioRing(100);
        RetentionRing b = audioRing(100);
        a.append(audio(0), 0);
        b.append(audio(0), 0);
        a.append(audio(1), 0);
        b.append(audio(1), 0);
        long cutoff = b.oldestArrivalOrder() + 1; // up to and including b's first chunk
        assertThat(a.oldestArrivalOrder()).isLessThan(b.oldestArrivalOrder());
        assertThat(a.evictArrivedBefore(cutoff)).isEqualTo(1);
        assertThat(b.evictArrivedBefore(cutoff)).isEqualTo(1);
        assertThat(seqs(a)).containsExactly(1L);
        assertThat(a.coveredFrom()).isEqualTo(1);
        assertThat(a.evictArrivedBefore(Long.MAX_VALUE)).as("even the newest").isEqualTo(1);
        assertThat(a.size()).isZero();
        assertThat(a.coveredFrom()).isEqualTo(2);
        assertThat(a.oldestArrivalOrder()).isEqualTo(Long.MAX_VALUE);
        assertThat(budget.usedBytes()).isEqualTo(FRAME_BYTES);
        b.releaseAll();
    }

    @Test
    void findsTheFirstChunkAtOrAfterASeqAcrossTheWrapAndTheSkips() {
        RetentionRing ring = audioRing(50);
        for (long s = 0; s < 130; s += (s % 7 == 3 ? 3 : 1)) {
            ring.append(audio(s), s); // a skip now and then; evictions move the head round the ring
        }
        List<Long> held = seqs(ring);
        for (long seq = -1; seq <= 140; seq++) {
            int expected = 0;
            while (expected < held.size() && held.get(expected) < seq) {
                expected++;
            }
            assertThat(ring.indexOfFirstAtOrAfter(seq)).as("seq %d in %s", seq, held).isEqualTo(expected);
        }
        ring.releaseAll();
    }

    @Test
    void findsWhereTheChunksThatCameInSinceATimeBegin() {
        RetentionRing ring = audioRing(100);
        assertThat(ring.seqArrivedSince(0)).isZero();
        ring.append(audio(0), 100);
        ring.append(audio(1), 200);
        ring.append(audio(4), 300); // skipped 2..3
        assertThat(ring.seqArrivedSince(50)).isEqualTo(0);
        assertThat(ring.seqArrivedSince(150)).isEqualTo(1);
        assertThat(ring.seqArrivedSince(250)).as("the skip before it counts with it").isEqualTo(2);
        assertThat(ring.seqArrivedSince(301)).as("nothing since: where the next will be").isEqualTo(5);
        ring.releaseAll();
    }

    @Test
    void goesBackADurationFromTheNewestAudio() {
        RetentionRing ring = audioRing(100);
        assertThat(ring.seqBack(Duration.ofSeconds(1))).isZero();
        for (long s = 0; s < 10; s++) {
            ring.append(audio(s), s);
        }
        assertThat(ring.seqBack(Duration.ofNanos(50_000_000))).isEqualTo(7);
        assertThat(ring.seqBack(Duration.ofNanos(60_000_000))).isEqualTo(7);
        assertThat(ring.seqBack(Duration.ZERO)).isEqualTo(10);
        assertThat(ring.seqBack(Duration.ofSeconds(Long.MAX_VALUE))).as("beyond what nanoseconds hold: all of it").isZero();
        ring.releaseAll();
    }

    @Test
    void recordsAreHeldToTheTimeTheySpanNotTheSumOfTheirDurations() {
        long second = 1_000_000_000L;
        RetentionRing ring = new RetentionRing(StreamLog.Kind.RECORDS, Duration.ofSeconds(1), Long.MAX_VALUE, -1, budget);
        ring.append(record(0, 0, 0), 0);
        ring.append(record(1, second / 2, 0), 0);
        ring.append(record(2, second / 2, second / 2), 0); // overlaps: spans 0 .. 1 s
        assertThat(seqs(ring)).containsExactly(0L, 1L, 2L);
        assertThat(ring.seqBack(Duration.ofMillis(400))).isEqualTo(2);
        assertThat(ring.seqBack(Duration.ofMillis(600))).as("back to the record that reaches that far").isEqualTo(0);
        ring.append(record(3, 2 * second, 0), 0);
        assertThat(seqs(ring)).containsExactly(3L);
        ring.append(record(4, Long.MAX_VALUE - 1, Long.MAX_VALUE), 0); // the publisher's times: saturate, do not overflow
        assertThat(seqs(ring)).containsExactly(4L);
        ring.releaseAll();
    }
}
