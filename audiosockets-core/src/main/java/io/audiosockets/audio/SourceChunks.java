package io.audiosockets.audio;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Cuts an {@link AudioSource} into chunks of a fixed number of frames, as a recorder does: what
 * both the {@code Recorder} and a recorder straight to Kafka read their sources with. Chunks are
 * numbered from 0; where the source reports lost frames ({@link AudioSource#framesLost()}, a live
 * device's overrun), the chunk in progress is closed before the hole and the numbers the lost audio
 * would have taken are skipped, so that whoever receives the chunks sees the hole as a jump in
 * numbers, and each chunk's position in frames since the start counts the lost frames too (its
 * capture time stays exact). The chunk in progress when the source ends, fails or is stopped is
 * handed over, shorter, not dropped. Runs on the caller's thread.
 */
public final class SourceChunks {

    /** Receives the chunks, in order, on the reading thread. */
    public interface Sink {
        /**
         * One chunk.
         *
         * @param index its number, from 0, skipped numbers included
         * @param framesBefore the frames the source delivered or lost before it since the start
         * @param data its bytes, in the source's format; the sink owns them
         * @throws IOException to stop reading, passed on by {@link #run}
         */
        void chunk(long index, long framesBefore, byte[] data) throws IOException;

        /**
         * The source lost {@code frames} frames after chunk {@code afterIndex}; the next chunk's
         * number is {@code skipped} higher than it would have been. Does nothing by default.
         */
        default void lost(long afterIndex, long frames, long skipped) {
        }
    }

    private final AudioSource source;
    private final int periodFrames;

    /**
     * Chunks of {@code periodFrames} frames of {@code source}.
     *
     * @throws IllegalArgumentException if {@code periodFrames} is not positive
     */
    public SourceChunks(AudioSource source, int periodFrames) {
        this.source = Objects.requireNonNull(source, "source == null");
        if (periodFrames <= 0) {
            throw new IllegalArgumentException("periodFrames: " + periodFrames + " (expected: > 0)");
        }
        this.periodFrames = periodFrames;
    }

    /**
     * Reads until the source ends or {@code stop} returns true (checked before each read), handing
     * each chunk to {@code sink}; the chunk in progress goes to the sink too, also when reading
     * fails (not when the sink threw an unchecked exception, which is passed on at once).
     *
     * @return the number the next chunk would have had
     * @throws IOException what reading the source or the sink threw, after the chunk in progress was handed over
     */
    public long run(BooleanSupplier stop, Sink sink) throws IOException {
        int fb = source.format().frameBytes();
        long framesBefore = 0;
        long index = 0;
        long lostSeen = source.framesLost();
        byte[] buf = new byte[periodFrames * fb];
        int filled = 0;
        IOException failure = null;
        try {
            while (!stop.getAsBoolean()) {
                int n = source.read(buf, filled * fb, periodFrames - filled);
                if (n < 0) {
                    break;
                }
                long lostNow = source.framesLost();
                if (lostNow > lostSeen) {
                    // The n frames just read follow a hole: close the chunk before it, skip the numbers the hole would have taken.
                    long lost = lostNow - lostSeen;
                    lostSeen = lostNow;
                    if (filled > 0) {
                        sink.chunk(index++, framesBefore, Arrays.copyOf(buf, filled * fb));
                        framesBefore += filled;
                        System.arraycopy(buf, filled * fb, buf, 0, n * fb);
                    }
                    long skipped = (lost + periodFrames - 1) / periodFrames;
                    sink.lost(index - 1, lost, skipped);
                    index += skipped;
                    framesBefore += lost;
                    filled = n;
                } else {
                    filled += n;
                }
                if (filled == periodFrames) {
                    sink.chunk(index++, framesBefore, buf);
                    framesBefore += periodFrames;
                    buf = new byte[periodFrames * fb];
                    filled = 0;
                }
            }
        } catch (IOException e) {
            failure = e; // the chunk in progress is still handed over
        }
        if (filled > 0) {
            sink.chunk(index++, framesBefore, Arrays.copyOf(buf, filled * fb));
        }
        if (failure != null) {
            throw failure;
        }
        return index;
    }
}
