package io.audiosockets.loadtest;

import io.audiosockets.audio.AudioSource;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * The benchmarks' audio source: 16 kHz mono float32 chunks of a fixed size, handed over when a
 * {@link Gate} allows (real time, or flow control), each chunk different (its index is stamped
 * into its first two samples) so that the {@link Checksums} of sender and receivers catch a lost,
 * repeated or altered chunk. Copying a template is all the work per chunk, so a thousand sources
 * cost next to nothing.
 *
 * <p>The recorder reads one whole chunk per call (its period is set to the chunk size).
 * Read by the capture thread only; {@link #stop()} and the getters from any thread.
 */
final class BenchSource implements AudioSource {
    /** What every benchmark streams: 16 kHz mono float32, as the paper's workloads. */
    static final StreamFormat FORMAT = new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE);

    private final int chunkFrames;
    private final byte[] template;
    private final Gate gate;
    private final Checksums checksums = new Checksums();
    private long next;
    private volatile long produced;
    private volatile long checksum;
    private volatile boolean stopped;

    /**
     * A source of chunks of {@code chunkFrames} frames.
     *
     * @param gate when each chunk may go
     */
    BenchSource(int chunkFrames, Gate gate) {
        if (chunkFrames < 2) {
            throw new IllegalArgumentException("chunkFrames : " + chunkFrames + " (expected: >= 2)");
        }
        this.chunkFrames = chunkFrames;
        this.gate = gate;
        this.template = new byte[chunkFrames * FORMAT.frameBytes()];
        ByteBuffer t = ByteBuffer.wrap(template).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < chunkFrames; i++) {
            t.putFloat((float) (0.25 * Math.sin(2 * Math.PI * 440.0 * i / FORMAT.sampleRate())));
        }
    }

    /** The duration of one chunk of {@code chunkFrames} frames of {@link #FORMAT}. */
    static Duration chunkDuration(int chunkFrames) {
        return Duration.ofNanos(chunkFrames * 1_000_000_000L / FORMAT.sampleRate());
    }

    @Override
    public StreamFormat format() {
        return FORMAT;
    }

    @Override
    public int read(byte[] buffer, int offset, int frames) throws InterruptedIOException {
        if (frames != chunkFrames) {
            throw new IllegalStateException("the recorder asked for " + frames + " frames; this source gives chunks of " + chunkFrames);
        }
        try {
            if (stopped || !gate.awaitTurn(next) || stopped) {
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("benchmark source interrupted");
        }
        System.arraycopy(template, 0, buffer, offset, template.length);
        ByteBuffer stamp = ByteBuffer.wrap(buffer, offset, 8).order(ByteOrder.LITTLE_ENDIAN);
        // Two samples in [0, 1) holding the index 24 bits at a time: valid audio, unique per chunk.
        stamp.putFloat((next & 0xFFFFFF) / 16_777_216f).putFloat(((next >>> 24) & 0xFFFFFF) / 16_777_216f);
        checksums.add(next, buffer, offset, template.length);
        checksum = checksums.sum();
        next++;
        produced = next;
        return chunkFrames;
    }

    /** Chunks handed to the recorder so far. */
    long produced() {
        return produced;
    }

    /** The checksum of every chunk handed over (see {@link Checksums}). */
    long checksum() {
        return checksum;
    }

    /** Ends the source: the next read (or the one waiting) returns -1, and the recorder sends what it has. */
    void stop() {
        stopped = true;
        gate.close();
    }

    @Override
    public String describe() {
        return "benchmark chunks of " + chunkFrames + " frames, " + FORMAT;
    }

    @Override
    public void close() {
        stop();
    }
}
