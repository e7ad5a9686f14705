package io.audiosockets.fuzz;

import java.time.Duration;
import java.util.Objects;

/**
 * What a fuzz campaign does: how many mutated frames it sends, over how many concurrent
 * connections, and the bounds it holds the mailman to.
 *
 * @param frames mutated and random frames to send, all workers together (at least 1)
 * @param workers connections open at once, each on its own thread (1..1024)
 * @param seed the random seed: the same seed sends the same frames (their interleaving still varies)
 * @param maxFrameBytes the mailman's MAX_FRAME_BYTES during the campaign (1024..2^30); small, so length mutations reach it
 * @param readTimeout how long a connection waits for the mailman's answer to a batch before giving up on it
 * @param maxBatches most batches on one connection after its HELLO (at least 1)
 * @param warmup how long the real recorder streams before the heap is first measured
 * @param heapTolerance how much more heap after the campaign than before is accepted, in bytes
 * @param maxDuration the campaign stops sending after this long, whatever it has sent
 */
public record FuzzSettings(long frames, int workers, long seed, int maxFrameBytes, Duration readTimeout, int maxBatches,
                           Duration warmup, long heapTolerance, Duration maxDuration) {
    /** The full campaign of issue 7: a million frames. */
    public static final long FULL_FRAMES = 1_000_000;

    /** Validates the fields. */
    public FuzzSettings {
        Objects.requireNonNull(readTimeout, "readTimeout == null");
        Objects.requireNonNull(warmup, "warmup == null");
        Objects.requireNonNull(maxDuration, "maxDuration == null");
        if (frames < 1) {
            throw new IllegalArgumentException("frames : " + frames + " (expected: >= 1)");
        }
        if (workers < 1 || workers > 1024) {
            throw new IllegalArgumentException("workers : " + workers + " (expected: 1..1024)");
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > 1 << 30) {
            throw new IllegalArgumentException("maxFrameBytes : " + maxFrameBytes + " (expected: 1024..2^30)");
        }
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches : " + maxBatches + " (expected: >= 1)");
        }
        if (heapTolerance < 0) {
            throw new IllegalArgumentException("heapTolerance : " + heapTolerance + " (expected: >= 0)");
        }
    }

    /**
     * The defaults for {@code frames} frames: 64 connections at once, a 64 KiB frame limit, a
     * 100 ms read timeout, up to 16 batches a connection, 3 s of warm-up, 32 MiB of heap tolerance,
     * at most 30 minutes.
     */
    public static FuzzSettings of(long frames, long seed) {
        return new FuzzSettings(frames, 64, seed, 64 * 1024, Duration.ofMillis(100), 16, Duration.ofSeconds(3), 32L << 20,
                Duration.ofMinutes(30));
    }
}
