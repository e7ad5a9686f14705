package io.audiosockets.mailman;

import static io.audiosockets.mailman.TestFrames.CHUNK_NANOS;
import static io.audiosockets.mailman.TestFrames.audio;
import static io.audiosockets.mailman.TestFrames.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.RecordFrame;
import io.audiosockets.internal.protocol.StreamFrame;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retention ring alone: bounds, skips, replayed chunks, the budget's count and reclaim, the seq queries. */
class RetentionRingTest {
    private static final int FRAME_BYTES = audio(0).encodedBytes();

    private final RetentionBudget budget = new RetentionBudget(Long.MAX_VALUE);
    /** Counts the direct memory the rings' slabs hold: what a ring lets go must show here. */
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

    private RetentionRing audioRing(int chunks) {
        return ring(StreamLog.Kind.AUDIO, Duration.ofNanos(chunks * CHUNK_NANOS), Long.MAX_VALUE, -1);
    }

    private RetentionRing ring(StreamLog.Kind kind, Duration maxDuration, long maxBytes, long firstSeq) {
        return new RetentionRing(kind == StreamLog.Kind.AUDIO ? "mic" : "events", kind, maxDuration, maxBytes, firstSeq, budget, alloc);
    }

    private long directMemoryHeld() {
        return alloc.metric().usedDirectMemory();
    }

    private static List<Long> seqs(RetentionRing ring) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < ring.size(); i++) {
            seqs.add(ring.seq(i));
        }
        return seqs;
    }

    @Test
    void keepsTheNewestChunksWithinTheDurationAndACopyOfEach() {
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
        assertThat(frames).as("the ring keeps a copy and lets go of the buffer the chunk came in").allMatch(f -> f.refCnt() == 0);
        assertThat(directMemoryHeld()).as("one slab holds them all").isEqualTo(ChunkSlabs.SLAB_BYTES);
        ring.releaseAll();
        assertThat(directMemoryHeld()).isZero();
    }

    @Test
    void aChunkReadBackIsTheSameFrameWithItsFlagsCleared() {
        RetentionRing ring = audioRing(100);
        byte[] samples = new byte[640];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (byte) (i * 7);
        }
        StreamFrame received = audio(3, samples);
        StreamFrame flagged = received.copyWithFlags(StreamFrame.FLAG_REDELIVERY, alloc);
        received.release();
        ring.append(flagged, 0);

        AudioFrame back = (AudioFrame) ring.frame(0);
        assertThat(back.flags()).as("a recorder's flag bits never reach processors").isZero();
        assertThat(back.seq()).isEqualTo(3);
        assertThat(back.captureTimeNanos()).isEqualTo(3 * CHUNK_NANOS);
        assertThat(back.durationNanos()).isEqualTo(CHUNK_NANOS);
        assertThat(back.encodedBytes()).isEqualTo(FRAME_BYTES);
        assertThat(back.toChunk().data()).isEqualTo(samples);
        StreamFrame original = audio(3, samples);
        assertThat(ByteBufUtil.equals(back.content(), original.content())).as("the very bytes that came, flags 0").isTrue();
        original.release();
        back.release();
        ring.releaseAll();
    }

    @Test
    void aRecordReadBackKeepsItsTypeTimesAndPayload() {
        RetentionRing ring = ring(StreamLog.Kind.RECORDS, Duration.ofSeconds(10), Long.MAX_VALUE, -1);
        ring.append(record(0, 5_000, 300), 0);
        RecordFrame back = (RecordFrame) ring.frame(0);
        assertThat(back.stream()).isEqualTo("events");
        assertThat(back.timeNanos()).isEqualTo(5_000);
        assertThat(back.durationNanos()).isEqualTo(300);
        assertThat(back.toRecord().text()).isEqualTo("{}");
        back.release();
        ring.releaseAll();
    }

    @Test
    void aChunkReadKeepsItsBytesAfterTheRingLetsGoOfIt() {
        RetentionRing ring = audioRing(100);
        ring.append(audio(0, new byte[] {1, 2, 3, 4}), 0);
        AudioFrame inFlight = (AudioFrame) ring.frame(0);
        ring.releaseAll();
        assertThat(directMemoryHeld()).as("the reader's slice keeps the slab").isEqualTo(ChunkSlabs.SLAB_BYTES);
        assertThat(inFlight.toChunk().data()).containsExactly(1, 2, 3, 4);
        inFlight.release();
        assertThat(directMemoryHeld()).isZero();
    }

    @Test
    void aCopyThatFindsNoMemoryLeavesTheRingAsItWasAndReleasesTheChunks() {
        int[] allowed = {0}; // allocations that succeed before the next fails
        ByteBufAllocator failing = new AbstractByteBufAllocator(true) {
            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                if (allowed[0]-- <= 0) {
                    throw new OutOfMemoryError("Cannot reserve direct buffer memory (test)");
                }
                return alloc.directBuffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return alloc.heapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        RetentionRing ring = new RetentionRing("mic", StreamLog.Kind.AUDIO, Duration.ofHours(1), Long.MAX_VALUE, -1, budget, failing);
        StreamFrame first = audio(0);
        assertThatThrownBy(() -> ring.append(first, 0)).isInstanceOf(OutOfMemoryError.class);
        assertThat(first.refCnt()).isZero();
        assertThat(ring.coveredFrom()).as("the stream has not begun: its first chunk is still to come").isEqualTo(-1);
        assertThat(ring.nextSeq()).isEqualTo(-1);
        assertThat(ring.size()).isZero();
        assertThat(budget.usedBytes()).isZero();

        allowed[0] = 1;
        ring.append(audio(10), 0);
        byte[] large = new byte[ChunkSlabs.OWN_BUFFER_ABOVE]; // a buffer each: the replay's second copy fails
        StreamFrame nine = audio(9, large);
        int largeBytes = nine.encodedBytes();
        List<StreamFrame> replayed = List.of(audio(7, large), audio(8, large), nine);
        allowed[0] = 1;
        assertThatThrownBy(() -> ring.prependReplayed(replayed)).isInstanceOf(OutOfMemoryError.class);
        assertThat(replayed).as("released, kept or not").allMatch(f -> f.refCnt() == 0);
        assertThat(seqs(ring)).as("what was copied before the failure is held").containsExactly(9L, 10L);
        assertThat(ring.coveredFrom()).isEqualTo(9);
        assertThat(budget.usedBytes()).isEqualTo(FRAME_BYTES + largeBytes);
        ring.releaseAll();
        assertThat(directMemoryHeld()).isZero();
    }

    @Test
    void slabsGoOnceTheirChunksHaveGoneAndLargeChunksHaveTheirOwn() {
        RetentionRing ring = audioRing(40);
        for (long s = 0; s < 400; s++) {
            ring.append(audio(s), s);
        }
        int perSlab = ChunkSlabs.SLAB_BYTES / FRAME_BYTES;
        long slabsForForty = (40 + perSlab - 1) / perSlab;
        assertThat(budget.slabBytes()).as("the budget counts the slabs' memory too").isEqualTo(ring.slabBytes());
        assertThat(directMemoryHeld()).as("40 chunks held, at most one slab more than they fill")
                .isEqualTo(ring.slabBytes())
                .isLessThanOrEqualTo((slabsForForty + 1) * ChunkSlabs.SLAB_BYTES);

        StreamFrame big = audio(0, new byte[ChunkSlabs.OWN_BUFFER_ABOVE]);
        int bigBytes = big.encodedBytes();
        RetentionRing large = ring(StreamLog.Kind.AUDIO, Duration.ofHours(1), 3L * bigBytes, -1);
        large.append(big, 0);
        for (long s = 1; s < 10; s++) {
            large.append(audio(s, new byte[ChunkSlabs.OWN_BUFFER_ABOVE]), s);
        }
        assertThat(large.slabBytes()).as("three chunks, each in a buffer of its exact size").isEqualTo(3L * bigBytes);
        ring.releaseAll();
        large.releaseAll();
        assertThat(directMemoryHeld()).isZero();
        assertThat(budget.slabBytes()).isZero();
    }

    @Test
    void keepsWithinTheBytesButNeverEvictsTheNewest() {
        RetentionRing ring = ring(StreamLog.Kind.AUDIO, Duration.ofHours(1), 3L * FRAME_BYTES, -1);
        for (long s = 0; s < 6; s++) {
            ring.append(audio(s), s);
        }
        assertThat(seqs(ring)).containsExactly(3L, 4L, 5L);

        RetentionRing tiny = ring(StreamLog.Kind.AUDIO, Duration.ZERO, 1, -1);
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
        assertThat(ring.skippedFrom(2)).isEqualTo(2);
        assertThat(ring.skippedFrom(1)).isEqualTo(-1);
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
        assertThat(ring.skippedFrom(0)).isEqualTo(10);
        ring.releaseAll();
    }

    @Test
    void aRingThatContinuesAnEndedStreamAccountsFromItsFirstSeq() {
        RetentionRing ring = ring(StreamLog.Kind.AUDIO, Duration.ofSeconds(1), Long.MAX_VALUE, 40);
        assertThat(ring.nextSeq()).isEqualTo(40);
        assertThat(ring.coveredFrom()).isEqualTo(40);
        ring.append(audio(42), 0);
        assertThat(ring.coveredFrom()).isEqualTo(40);
        assertThat(ring.skippedFrom(0)).isEqualTo(40);
        ring.releaseAll();
    }

    @Test
    void refusesAChunkOlderThanTheNextExpected() {
        RetentionRing ring = audioRing(10);
        ring.append(audio(4), 0);
        StreamFrame old = audio(4);
        assertThatThrownBy(() -> ring.append(old, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("seq 4");
        assertThat(old.refCnt()).as("released: the ring owned it").isZero();
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
        assertThat(ring.skippedFrom(2)).as("the hole between two replayed chunks").isEqualTo(7);
        assertThat(ring.skippedFrom(0)).isEqualTo(-1);
        assertThat(ring.coveredFrom()).isEqualTo(5);
        assertThat(ring.arrivedNanos(0)).isEqualTo(RetentionRing.REPLAYED);
        assertThat(ring.seqArrivedSince(0)).as("replayed chunks never came in just now").isEqualTo(10);
        assertThat(ring.arrivalOrder(0)).as("replayed chunks come before this stream's others for a reclaim")
                .isLessThan(ring.arrivalOrder(2)).isLessThan(ring.arrivalOrder(3));
        assertThat(ring.arrivalOrder(0)).as("...but not before every other stream's audio")
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
        assertThat(a.slabBytes()).as("a ring emptied by a reclaim keeps no memory").isZero();
        assertThat(directMemoryHeld()).isEqualTo(ChunkSlabs.SLAB_BYTES);
        b.releaseAll();
        assertThat(directMemoryHeld()).isZero();
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
        RetentionRing ring = ring(StreamLog.Kind.RECORDS, Duration.ofSeconds(1), Long.MAX_VALUE, -1);
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
