package io.audiosockets.loadtest;

import io.audiosockets.internal.audio.ChunkBytes;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmarks' processor: does nothing with the audio but account for it. For every chunk it
 * records the latency from the chunk's scheduled hand-off (capture time of its first sample plus
 * its duration) to this call, adds the chunk to a {@link Checksums}, and checks that sequence
 * numbers follow each other per stream; optionally it then "works" (sleeps) a fixed time, to be
 * the slow processor.
 *
 * <p>{@code processData} and {@code onGap} run on the processor's own thread (see
 * {@link BaseProcessor}); the getters may be read from any thread.
 */
final class BenchProcessor extends BaseProcessor {
    private final HandOffs handOffs;
    private final Latencies latencies;
    private final long workNanos;
    private final Runnable onProgress;
    private final Checksums checksums = new Checksums();
    /** Per stream, the last sequence number seen (chunk or gap); worker-thread confined. */
    private final Map<String, Long> last = new HashMap<>();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong gapNotices = new AtomicLong();
    /** Chunks processed plus chunks gaps announced, counted before onProgress runs (the base's counters lag it). */
    private final AtomicLong finished = new AtomicLong();
    /** Chunks processed, counted before onProgress runs. */
    private final AtomicLong chunks = new AtomicLong();
    private volatile long checksum;

    /**
     * A processor with these options.
     *
     * @param handOffs when each chunk was due: the start of its latency
     * @param latencies where latencies go, or {@code null} not to measure them
     * @param work time to sleep per chunk (zero: none), the slow processor's "algorithm"
     * @param onProgress called after every chunk or gap (e.g. to give the source credit); may be a no-op
     */
    BenchProcessor(ProcessorOptions options, HandOffs handOffs, Latencies latencies, Duration work, Runnable onProgress) {
        super(options);
        this.handOffs = handOffs;
        this.latencies = latencies;
        this.workNanos = work.toNanos();
        this.onProgress = onProgress;
    }

    @Override
    protected void processData(AudioChunk chunk) throws InterruptedException {
        long now = System.nanoTime();
        if (latencies != null) {
            latencies.record(handOffs.dueNanos(chunk), now);
        }
        byte[] data = ChunkBytes.bytes(chunk);
        checksums.add(chunk.seq(), data, 0, data.length);
        checksum = checksums.sum();
        follow(chunk.stream(), chunk.seq(), chunk.seq());
        if (workNanos > 0) {
            Thread.sleep(workNanos / 1_000_000, (int) (workNanos % 1_000_000)); // the slow processor's work, not synchronisation
        }
        chunks.incrementAndGet();
        finished.incrementAndGet();
        onProgress.run();
    }

    @Override
    protected void onGap(Gap gap) {
        gapNotices.incrementAndGet();
        follow(gap.stream(), gap.fromSeq(), gap.toSeq());
        finished.addAndGet(gap.count());
        onProgress.run();
    }

    /** Checks that {@code from} follows the last sequence number of {@code stream}, then moves it to {@code to}. */
    private void follow(String stream, long from, long to) {
        Long previous = last.put(stream, to);
        if (previous != null && from != previous + 1) {
            outOfOrder.incrementAndGet();
        }
    }

    /** The checksum of every chunk processed (see {@link Checksums}). */
    long checksum() {
        return checksum;
    }

    /** Chunks or gaps that did not follow the previous sequence number of their stream: 0 if all is well. */
    long outOfOrder() {
        return outOfOrder.get();
    }

    /** GAP notices received. */
    long gapNotices() {
        return gapNotices.get();
    }

    /** Chunks processed (the base class's {@code processed()} counts a chunk only once processData has returned). */
    long chunks() {
        return chunks.get();
    }

    /** Chunks finished: processed, or announced missing by a gap. */
    long done() {
        return finished.get();
    }
}
