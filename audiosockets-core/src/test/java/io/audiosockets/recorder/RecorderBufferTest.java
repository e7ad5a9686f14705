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
}
