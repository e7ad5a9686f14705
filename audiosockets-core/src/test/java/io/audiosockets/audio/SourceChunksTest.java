package io.audiosockets.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a source is cut into chunks: whole chunks in order, a hole the source reports closes the
 * chunk before it and skips the numbers it would have taken (positions count the lost frames),
 * and the chunk in progress is handed over at the end and when reading fails.
 */
class SourceChunksTest {
    private static final StreamFormat MONO_16 = new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE);

    /** Frames 0, 1, 2... as 16-bit values, delivered in reads of the sizes given; a negative size is a hole of that many frames. */
    private static final class Scripted implements AudioSource {
        private final int[] reads;
        private final IOException failAtEnd;
        private int next;
        private int value;
        private long lost;

        Scripted(IOException failAtEnd, int... reads) {
            this.reads = reads;
            this.failAtEnd = failAtEnd;
        }

        @Override
        public StreamFormat format() {
            return MONO_16;
        }

        @Override
        public int read(byte[] buffer, int offset, int frames) throws IOException {
            while (next < reads.length && reads[next] < 0) {
                lost -= reads[next];
                value -= reads[next++];
            }
            if (next == reads.length) {
                if (failAtEnd != null) {
                    throw failAtEnd;
                }
                return -1;
            }
            int n = Math.min(frames, reads[next]);
            reads[next] -= n;
            if (reads[next] == 0) {
                next++;
            }
            for (int i = 0; i < n; i++, value++) {
                buffer[offset + 2 * i] = (byte) value;
                buffer[offset + 2 * i + 1] = (byte) (value >> 8);
            }
            return n;
        }

        @Override
        public long framesLost() {
            return lost;
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {
        }
    }

    private record Chunk(long index, long framesBefore, int firstValue, int frames) {
    }

    private static final class Collect implements SourceChunks.Sink {
        final List<Chunk> chunks = new ArrayList<>();
        final List<String> losses = new ArrayList<>();

        @Override
        public void chunk(long index, long framesBefore, byte[] data) {
            chunks.add(new Chunk(index, framesBefore, (data[0] & 0xff) | (data[1] << 8), data.length / 2));
        }

        @Override
        public void lost(long afterIndex, long frames, long skipped) {
            losses.add(afterIndex + ":" + frames + ":" + skipped);
        }
    }

    @Test
    void wholeChunksInOrderAndTheLastShortOne() throws IOException {
        Collect c = new Collect();
        long next = new SourceChunks(new Scripted(null, 7, 3, 15), 10).run(() -> false, c);
        assertThat(c.chunks).containsExactly(new Chunk(0, 0, 0, 10), new Chunk(1, 10, 10, 10), new Chunk(2, 20, 20, 5));
        assertThat(next).isEqualTo(3);
    }

    @Test
    void aHoleClosesTheChunkBeforeItAndSkipsTheNumbersItWouldHaveTaken() throws IOException {
        Collect c = new Collect();
        new SourceChunks(new Scripted(null, 4, -25, 10), 10).run(() -> false, c);
        // 4 frames, then 25 lost (3 chunks' worth of numbers), then 10 frames: positions count the lost frames.
        assertThat(c.chunks).containsExactly(new Chunk(0, 0, 0, 4), new Chunk(4, 29, 29, 10));
        assertThat(c.losses).containsExactly("0:25:3");
    }

    @Test
    void theChunkInProgressIsHandedOverBeforeAReadFailureIsPassedOn() {
        Collect c = new Collect();
        IOException failure = new IOException("device gone");
        assertThatThrownBy(() -> new SourceChunks(new Scripted(failure, 13), 10).run(() -> false, c)).isSameAs(failure);
        assertThat(c.chunks).containsExactly(new Chunk(0, 0, 0, 10), new Chunk(1, 10, 10, 3));
    }

    @Test
    void stopIsCheckedBeforeEachRead() throws IOException {
        Collect c = new Collect();
        int[] reads = {0};
        new SourceChunks(new Scripted(null, 5, 5, 5, 5), 10).run(() -> reads[0]++ >= 3, c);
        assertThat(c.chunks).containsExactly(new Chunk(0, 0, 0, 10), new Chunk(1, 10, 10, 5));
    }
}
