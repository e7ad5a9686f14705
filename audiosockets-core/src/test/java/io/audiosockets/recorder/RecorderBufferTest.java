package io.audiosockets.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder's buffer: what it keeps, what it drops first, what it can replay. */
class RecorderBufferTest {
    private static final long CHUNK_NANOS = 20_000_000L; // 320 frames at 16 kHz
    private static final int CHUNK_BYTES = 640;

    private static AudioChunk chunk(long seq) {
        return new AudioChunk("mic", seq, seq * CHUNK_NANOS, 16_000, 1, SampleFormat.PCM_S16LE, new byte[CHUNK_BYTES]);
    }

    private static List<Long> seqs(List<AudioChunk> chunks) {
        return chunks.stream().map(AudioChunk::seq).toList();
    }

    @Test
    void acknowledgedChunksAreKeptForReplayAndNeverSentAgainUnasked() {
        RecorderBuffer b = new RecorderBuffer(10 * CHUNK_NANOS, Long.MAX_VALUE);
        for (long s = 0; s < 5; s++) {
            b.offer(chunk(s));
        }
        for (int i = 0; i < 5; i++) {
            b.nextToSend(64);
        }
        assertThat(b.acknowledge(2)).isEqualTo(3);
        b.rewind(); // a reconnect: only the unacknowledged go again
        assertThat(b.nextToSend(64).seq()).isEqualTo(3);
        assertThat(b.unacknowledged()).isEqualTo(2);
        assertThat(b.held()).isEqualTo(5);
        assertThat(seqs(b.replay(1, 9))).as("replay serves acknowledged chunks only").containsExactly(1L, 2L);
    }

    @Test
    void whenFullTheAcknowledgedGoFirstAndOnlyUnacknowledgedDropsCountAsLost() {
        RecorderBuffer b = new RecorderBuffer(4 * CHUNK_NANOS, Long.MAX_VALUE);
        for (long s = 0; s < 4; s++) {
            assertThat(b.offer(chunk(s))).isZero();
        }
        b.nextToSend(64);
        b.nextToSend(64);
        b.acknowledge(1); // 0 and 1 acknowledged, 2 and 3 waiting
        assertThat(b.offer(chunk(4))).as("room made from an acknowledged chunk: nothing lost").isZero();
        assertThat(b.offer(chunk(5))).isZero();
        assertThat(b.replay(0, 9)).isEmpty();
        assertThat(b.offer(chunk(6))).as("now an unacknowledged chunk has to go").isEqualTo(1);
        assertThat(b.dropped()).isEqualTo(1);
        assertThat(b.nextToSend(64).seq()).as("the oldest unacknowledged went").isEqualTo(3);
    }

    @Test
    void theByteBoundAppliesLikeTheDurationBound() {
        RecorderBuffer b = new RecorderBuffer(Long.MAX_VALUE, 3L * CHUNK_BYTES);
        for (long s = 0; s < 5; s++) {
            b.offer(chunk(s));
        }
        assertThat(b.held()).isEqualTo(3);
        assertThat(b.heldBytes()).isEqualTo(3L * CHUNK_BYTES);
        assertThat(b.dropped()).isEqualTo(2);
    }

    @Test
    void theNewestChunkAlwaysStaysEvenIfItAloneExceedsTheBounds() {
        RecorderBuffer b = new RecorderBuffer(1, 1);
        b.offer(chunk(0));
        assertThat(b.offer(chunk(1))).isEqualTo(1);
        assertThat(b.held()).isEqualTo(1);
        assertThat(b.nextToSend(64).seq()).isEqualTo(1);
    }

    @Test
    void recordersSharingAReplayBudgetKeepAtMostItOfAcknowledgedAudioAndNeverDropWhatIsNotAcknowledged() {
        ReplayBudget budget = ReplayBudget.ofBytes(6 * CHUNK_BYTES);
        RecorderBuffer a = new RecorderBuffer(100 * CHUNK_NANOS, Long.MAX_VALUE, budget);
        RecorderBuffer b = new RecorderBuffer(100 * CHUNK_NANOS, Long.MAX_VALUE, budget);
        for (long s = 0; s < 10; s++) {
            a.offer(chunk(s));
            b.offer(chunk(s));
            a.nextToSend(64);
            b.nextToSend(64);
        }
        a.acknowledge(4); // 5 of a's: within the budget
        assertThat(budget.heldBytes()).isEqualTo(5L * CHUNK_BYTES);
        b.acknowledge(3); // 4 of b's: 9 in all, 3 over: b, which acknowledged last, lets its 3 oldest go
        assertThat(budget.heldBytes()).as("all recorders together").isLessThanOrEqualTo(6L * CHUNK_BYTES);
        assertThat(seqs(b.replay(0, 9))).as("b's oldest acknowledged went").containsExactly(3L);
        assertThat(seqs(a.replay(0, 9))).as("a keeps its own").containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(b.unacknowledged()).as("nothing unacknowledged is let go for the budget").isEqualTo(6);
        assertThat(a.dropped() + b.dropped()).isZero();

        a.close(); // a closing recorder answers no replay: its share goes back
        assertThat(budget.heldBytes()).isEqualTo(CHUNK_BYTES);
    }
}
