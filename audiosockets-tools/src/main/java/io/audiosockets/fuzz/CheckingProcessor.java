package io.audiosockets.fuzz;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.util.BitSet;

/**
 * The campaign's real processor: records which sequence numbers of its stream it processed, how
 * many it saw twice and how many gaps it was told of, so the campaign can prove it missed nothing.
 */
public final class CheckingProcessor extends BaseProcessor {
    private final BitSet seen = new BitSet();
    private long duplicates;
    private long outOfRange;
    private long gaps;
    private long count;

    /** A processor with these options; subscribe it to the one stream it checks. */
    CheckingProcessor(ProcessorOptions options) {
        super(options);
    }

    @Override
    protected synchronized void processData(AudioChunk chunk) {
        count++;
        if (chunk.seq() > Integer.MAX_VALUE - 1) {
            outOfRange++;
        } else if (seen.get((int) chunk.seq())) {
            duplicates++;
        } else {
            seen.set((int) chunk.seq());
        }
        notifyAll();
    }

    @Override
    protected synchronized void onGap(Gap gap) {
        gaps++;
    }

    /**
     * Waits until every seq below {@code n} has been processed, at most {@code timeoutMillis}.
     *
     * @return true if they all have
     */
    synchronized boolean awaitAll(long n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (seen.nextClearBit(0) < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** What it received, for the report. */
    synchronized Delivery delivery(long expected) {
        int firstMissing = seen.nextClearBit(0);
        return new Delivery(expected, count, seen.cardinality(), firstMissing >= expected ? -1 : firstMissing,
                duplicates + outOfRange + Math.max(0, seen.length() - expected), gaps);
    }

    /**
     * What the real processor received.
     *
     * @param expected chunks the recorder captured (seq 0..expected-1)
     * @param processed chunks processed, duplicates included
     * @param distinct distinct seqs processed
     * @param firstMissing the lowest seq below {@code expected} never processed, or -1
     * @param unexpected duplicates and seqs at or beyond {@code expected}
     * @param gaps GAP notices received
     */
    public record Delivery(long expected, long processed, long distinct, long firstMissing, long unexpected, long gaps) {
        /** Every seq 0..expected-1 exactly once, nothing else, no gap. */
        public boolean complete() {
            return firstMissing < 0 && distinct == expected && processed == expected && unexpected == 0 && gaps == 0;
        }
    }
}
