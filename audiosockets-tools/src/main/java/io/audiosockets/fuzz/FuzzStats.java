package io.audiosockets.fuzz;

import io.audiosockets.protocol.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The campaign's counters, shared by every worker and updated without locks. {@link #snapshot()}
 * reads them all.
 */
public final class FuzzStats {
    /** Mutated frames and random byte strings written to the mailman. */
    final LongAdder fuzzFrames = new LongAdder();
    /** Valid frames written around them: HELLOs, AUDIO of the fuzz recorders' own streams, ACKs, the PING that ends each batch. */
    final LongAdder validFrames = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder connections = new LongAdder();
    /** Connections the mailman closed (end of stream or reset while we read). */
    final LongAdder closedByMailman = new LongAdder();
    /** Connections we closed: the script ran out, or the mailman went quiet waiting for bytes we never sent. */
    final LongAdder closedByUs = new LongAdder();
    /** Of those, closed because nothing decisive came within the read timeout. */
    final LongAdder readTimeouts = new LongAdder();
    /** Batches the mailman read to the end (their closing PING was answered). */
    final LongAdder batchesAccepted = new LongAdder();
    final LongAdder welcomes = new LongAdder();
    /** Other frames from the mailman: PONG, ACK, AUDIO, GAP, PING, BYE, REPLAY. */
    final LongAdder otherAnswers = new LongAdder();
    /** Answers that failed to decode: a mailman bug, never expected. */
    final LongAdder unparseableAnswers = new LongAdder();
    /** Connect failures (refused, reset during connect): the mailman would be down or full. */
    final LongAdder connectFailures = new LongAdder();
    private final AtomicLongArray errorsByCode = new AtomicLongArray(256);

    void error(ErrorCode code) {
        errorsByCode.incrementAndGet(code.code());
    }

    /** Frames of each kind, as one consistent-enough reading. */
    public record Snapshot(long fuzzFrames, long validFrames, long bytesSent, long connections, long closedByMailman, long closedByUs,
                    long readTimeouts, long batchesAccepted, long welcomes, long otherAnswers, long unparseableAnswers,
                    long connectFailures, Map<ErrorCode, Long> errors) {

        /** ERROR frames received, all codes together. */
        public long errorTotal() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    Snapshot snapshot() {
        Map<ErrorCode, Long> errors = new EnumMap<>(ErrorCode.class);
        for (ErrorCode c : ErrorCode.values()) {
            long n = errorsByCode.get(c.code());
            if (n > 0) {
                errors.put(c, n);
            }
        }
        return new Snapshot(fuzzFrames.sum(), validFrames.sum(), bytesSent.sum(), connections.sum(), closedByMailman.sum(),
                closedByUs.sum(), readTimeouts.sum(), batchesAccepted.sum(), welcomes.sum(), otherAnswers.sum(),
                unparseableAnswers.sum(), connectFailures.sum(), errors);
    }
}
