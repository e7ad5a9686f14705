package io.audiosockets.mailman;

import static io.audiosockets.mailman.TestFrames.CHUNK_NANOS;
import static io.audiosockets.mailman.TestFrames.audio;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Review (wt-review2): what a reader is told when the budget's reclaim
 * ({@link StreamLog#evictArrivedBefore}, as {@link Registry#reclaim()} calls it) lets go of a
 * log's chunks. PROTOCOL.md §5.6: "A processor that still needed them gets the same exact
 * RETENTION_EXCEEDED gap as for any eviction."
 */
class BudgetEvictionGapReviewTest {
    private final AtomicLong now = new AtomicLong();
    private final RetentionBudget budget = new RetentionBudget(Long.MAX_VALUE);

    private StreamLog log() {
        return new StreamLog("mic", StreamLog.Kind.AUDIO, Duration.ofNanos(1000 * CHUNK_NANOS), Long.MAX_VALUE, -1, now::get, budget, ByteBufAllocator.DEFAULT);
    }

    private static List<String> read(StreamLog log, long next) {
        return TestFrames.readItems(log, next);
    }

    /**
     * A stream whose recorder has stopped sending (left, or paused) and whose every chunk the
     * budget let go: a reader behind it is told nothing. RetentionRing.evictArrivedBefore may
     * empty the ring ("even the newest"), and StreamLog.read returns at once when
     * {@code ring.size() == 0}, before readRetained could give the eviction gap. The reader hears
     * of it only when a new chunk comes, or when the stream is forgotten RETENTION_SECONDS later.
     */
    @Test
    void aReaderBehindALogTheBudgetEmptiedGetsItsRetentionExceededGapAtOnce() {
        StreamLog log = log();
        for (long s = 0; s < 5; s++) {
            log.append(audio(s));
        }
        assertThat(log.evictArrivedBefore(Long.MAX_VALUE)).isEqualTo(5);
        assertThat(budget.usedBytes()).isZero();
        assertThat(read(log, 0)).containsExactly("0..4 RETENTION_EXCEEDED");
        log.close();
    }

    /**
     * A reader older than the log waits for the recorder's replay; meanwhile the budget lets go of
     * the log's first chunks (10..11, which the mailman held). Once the replay is in, the reader
     * is told those were NOT_AVAILABLE ("held neither by the mailman nor by the recorder"), a
     * wrong reason: the mailman held and evicted them (RETENTION_EXCEEDED, §5.6). The gap comes
     * from readRetained's "hole in replay" branch (the entry after the hole has no skip).
     */
    @Test
    void chunksTheBudgetEvictedDuringAReplayAreRetentionExceededNotNotAvailable() {
        StreamLog log = log();
        log.attachReplayer((l, request, from, to) -> { });
        for (long s = 10; s < 14; s++) {
            log.append(audio(s));
        }
        assertThat(read(log, 5)).as("waiting for the replay").isEmpty();
        // The reclaim: chunks 10 and 11 arrived first.
        long cutoff = log.oldestArrivalOrder() + 2 * audio(0).encodedBytes();
        assertThat(log.evictArrivedBefore(cutoff)).isEqualTo(2);
        assertThat(log.replayAnswer(5, 5)).isTrue();
        for (long s = 5; s < 10; s++) {
            log.replayFrame(audio(s));
        }
        assertThat(read(log, 5)).containsExactly("5", "6", "7", "8", "9", "10..11 RETENTION_EXCEEDED", "12", "13");
        log.close();
    }

    /**
     * The same, when the budget let go of everything the log held during the replay and the
     * recorder sends nothing new: after the replayed chunks the reader is stuck at 10 with no gap
     * for 10..13 (read finds no chunk at or after 10 and gives nothing).
     */
    @Test
    void aReaderPastAReplayIntoALogTheBudgetEmptiedGetsAGapForTheRest() {
        StreamLog log = log();
        log.attachReplayer((l, request, from, to) -> { });
        for (long s = 10; s < 14; s++) {
            log.append(audio(s));
        }
        assertThat(read(log, 5)).isEmpty();
        assertThat(log.evictArrivedBefore(Long.MAX_VALUE)).isEqualTo(4);
        assertThat(log.replayAnswer(5, 5)).isTrue();
        for (long s = 5; s < 10; s++) {
            log.replayFrame(audio(s));
        }
        assertThat(read(log, 5)).as("the replayed chunks, then at once the gap for what the budget let go")
                .containsExactly("5", "6", "7", "8", "9", "10..13 RETENTION_EXCEEDED");
        log.close();
    }
}
