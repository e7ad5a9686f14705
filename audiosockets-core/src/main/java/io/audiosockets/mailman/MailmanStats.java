package io.audiosockets.mailman;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of a running mailman, updated from every event loop without locks.
 * {@link #snapshot()} reads them all.
 */
public final class MailmanStats {
    final LongAdder connections = new LongAdder();
    final LongAdder chunksIn = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder chunksReplayed = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder gaps = new LongAdder();
    final LongAdder gapChunks = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder streamsForgotten = new LongAdder();
    final LongAdder budgetEvictions = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> refusedByCode = new ConcurrentHashMap<>();
    /** Set by the mailman once its registry exists: the bytes its logs hold now. */
    private volatile LongSupplier retainedBytes = () -> 0;
    /** Set with {@link #retainedBytes}: the direct memory that holds them. */
    private volatile LongSupplier retainedMemoryBytes = () -> 0;

    MailmanStats() {
    }

    /**
     * The counters at one moment (each read separately; they may be a few events apart).
     *
     * @param connections connections accepted since start
     * @param chunksIn new chunks received from recorders
     * @param duplicates chunks received again (resends) and dropped
     * @param chunksReplayed chunks a recorder sent again on request, after this mailman restarted without them
     * @param deliveries chunks written to processors, all processors together
     * @param gaps GAP frames sent to processors
     * @param gapChunks chunks those gaps covered
     * @param refused handshakes refused (unknown role, bad name, name in use...)
     * @param protocolErrors connections closed for a protocol error
     * @param streamsForgotten streams let go after their recorder left and they were quiet for the retention
     * @param budgetEvictions chunks let go before their time because all streams together held RETENTION_MAX_BYTES
     * @param retainedBytes what the streams hold now, all together (at most about RETENTION_MAX_BYTES)
     * @param retainedMemoryBytes the direct memory that holds it: the chunks packed in 8 KiB slabs, at most
     *        two slabs per stream more than {@code retainedBytes}
     */
    public record Snapshot(long connections, long chunksIn, long duplicates, long chunksReplayed, long deliveries, long gaps,
                           long gapChunks, long refused, long protocolErrors, long streamsForgotten, long budgetEvictions,
                           long retainedBytes, long retainedMemoryBytes) {
    }

    void refused(String code) {
        refused.increment();
        refusedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /**
     * Refused handshakes since start by the error code they were refused with (the names of
     * {@link io.audiosockets.protocol.ErrorCode}, and TLS_HANDSHAKE_FAILED for a connection whose TLS
     * handshake failed, which has no code on the wire), in the order of the names.
     */
    public SortedMap<String, Long> refusedByCode() {
        TreeMap<String, Long> m = new TreeMap<>();
        refusedByCode.forEach((code, n) -> m.put(code, n.sum()));
        return m;
    }

    void retainedBytesFrom(LongSupplier bytes, LongSupplier memory) {
        retainedBytes = bytes;
        retainedMemoryBytes = memory;
    }

    /** Reads every counter. */
    public Snapshot snapshot() {
        return new Snapshot(connections.sum(), chunksIn.sum(), duplicates.sum(), chunksReplayed.sum(), deliveries.sum(), gaps.sum(),
                gapChunks.sum(), refused.sum(), protocolErrors.sum(), streamsForgotten.sum(), budgetEvictions.sum(),
                retainedBytes.getAsLong(), retainedMemoryBytes.getAsLong());
    }
}
