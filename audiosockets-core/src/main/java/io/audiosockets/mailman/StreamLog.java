package io.audiosockets.mailman;

import io.audiosockets.protocol.AudioFrame;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.protocol.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mailman's retention log of one stream: the most recent chunks, bounded by audio duration
 * and by bytes, in sequence order. Processors read from it through their own cursors, so one
 * that falls behind costs the others nothing; one that falls out of the window gets a
 * {@link Gap} for exactly what was evicted.
 *
 * <p>The log owns one reference to each retained {@link AudioFrame} and releases it on eviction
 * or {@link #close()}; readers get retained duplicates of their own.
 *
 * <p>Thread-safe (guarded by {@code this}): the recorder's event loop appends, every processor's
 * event loop reads. Critical sections are short: no I/O and no callbacks under the lock.
 */
final class StreamLog {
    private final String stream;
    private final long maxDurationNanos;
    private final long maxBytes;
    private final List<ProcessorSession> readers = new CopyOnWriteArrayList<>();

    // Ring of entries in increasing seq; guarded by this.
    private Entry[] ring = new Entry[64];
    private int head;
    private int size;
    private long bytes;
    private long durationNanos;
    /** The next sequence number expected from the recorder; -1 before the first append. */
    private long nextSeq = -1;
    /** The first sequence number the log can still account for (a chunk or a known skip). */
    private long coveredFrom = -1;
    private long evictedChunks;
    private boolean closed;

    /** One retained chunk; {@code skippedFrom >= 0} when the recorder skipped seqs skippedFrom..seq-1 before it. */
    private record Entry(long seq, AudioFrame frame, long skippedFrom) {
    }

    /** The outcome of an append. */
    enum Append {
        /** The chunk is new and now held. */
        APPENDED,
        /** The chunk was held already (a resend); it was released. */
        DUPLICATE
    }

    StreamLog(String stream, Duration retention, long maxBytes) {
        this.stream = stream;
        this.maxDurationNanos = retention.toNanos();
        this.maxBytes = maxBytes;
    }

    String stream() {
        return stream;
    }

    /**
     * Takes ownership of {@code frame}: holds it, or releases it if it is a duplicate. A jump in
     * sequence numbers is recorded as a skip that readers receive as a {@link GapReason#SOURCE_SKIPPED} gap.
     * Evicts the oldest chunks beyond the retention bounds (the newest chunk always stays).
     */
    Append append(AudioFrame frame) {
        synchronized (this) {
            if (closed || frame.seq() < nextSeq) {
                frame.release();
                return Append.DUPLICATE;
            }
            long skippedFrom = nextSeq >= 0 && frame.seq() > nextSeq ? nextSeq : -1;
            if (coveredFrom < 0) {
                coveredFrom = frame.seq();
            }
            if (size == ring.length) {
                grow();
            }
            ring[(head + size) % ring.length] = new Entry(frame.seq(), frame, skippedFrom);
            size++;
            bytes += frame.encodedBytes();
            durationNanos += frame.durationNanos();
            nextSeq = frame.seq() + 1;
            while (size > 1 && (durationNanos > maxDurationNanos || bytes > maxBytes)) {
                evictOldest();
            }
        }
        for (ProcessorSession r : readers) {
            r.wake();
        }
        return Append.APPENDED;
    }

    /**
     * Copies what follows {@code next} into {@code out}: a retention gap first if {@code next} was
     * evicted, then up to {@code maxChunks} chunks (each a retained duplicate the caller must
     * write or release), with a skip gap before any chunk the recorder skipped to.
     *
     * @return the sequence number that follows the last item added (== next if none)
     */
    synchronized long read(long next, int maxChunks, List<Message> out) {
        if (size == 0 || next >= nextSeq) {
            return next;
        }
        if (next < coveredFrom) {
            out.add(new Gap(stream, next, coveredFrom - 1, GapReason.RETENTION_EXCEEDED,
                    "fell behind the mailman's retention (RETENTION_SECONDS/RETENTION_BYTES): chunks " + next + ".."
                            + (coveredFrom - 1) + " were evicted before they could be sent"));
            next = coveredFrom;
        }
        int i = indexOfFirstAtOrAfter(next);
        for (int n = 0; i < size && n < maxChunks; i++, n++) {
            Entry e = ring[(head + i) % ring.length];
            if (e.skippedFrom >= 0 && next < e.seq) {
                out.add(new Gap(stream, Math.max(next, e.skippedFrom), e.seq - 1, GapReason.SOURCE_SKIPPED,
                        "the recorder never sent chunks " + Math.max(next, e.skippedFrom) + ".." + (e.seq - 1)));
            }
            out.add(e.frame.retainedDuplicate());
            next = e.seq + 1;
        }
        return next;
    }

    /** The sequence number the next new chunk will have, or -1 if nothing was ever appended. */
    synchronized long nextSeq() {
        return nextSeq;
    }

    /** The oldest sequence number still accounted for, or -1 if nothing was ever appended. */
    synchronized long coveredFrom() {
        return coveredFrom;
    }

    /** The sequence number of the oldest retained chunk whose audio started at most {@code back} before the newest one's end. */
    synchronized long seqBack(Duration back) {
        if (size == 0) {
            return Math.max(nextSeq, 0);
        }
        long budget = back.toNanos();
        long seq = nextSeq;
        for (int i = size - 1; i >= 0 && budget > 0; i--) {
            Entry e = ring[(head + i) % ring.length];
            budget -= e.frame.durationNanos();
            seq = e.seq;
        }
        return seq;
    }

    /** Chunks evicted so far. */
    synchronized long evictedChunks() {
        return evictedChunks;
    }

    /** Chunks retained now. */
    synchronized int size() {
        return size;
    }

    /** Bytes of encoded frames retained now. */
    synchronized long bytes() {
        return bytes;
    }

    void addReader(ProcessorSession reader) {
        readers.add(reader);
    }

    void removeReader(ProcessorSession reader) {
        readers.remove(reader);
    }

    /** Releases every retained chunk; later appends are released at once. */
    synchronized void close() {
        closed = true;
        while (size > 0) {
            evictOldest();
        }
    }

    private void evictOldest() {
        Entry e = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        bytes -= e.frame.encodedBytes();
        durationNanos -= e.frame.durationNanos();
        evictedChunks++;
        e.frame.release();
        coveredFrom = size > 0 ? firstCovered(ring[head]) : nextSeq;
    }

    private static long firstCovered(Entry e) {
        return e.skippedFrom >= 0 ? e.skippedFrom : e.seq;
    }

    private void grow() {
        Entry[] bigger = new Entry[ring.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) % ring.length];
        }
        ring = bigger;
        head = 0;
    }

    private int indexOfFirstAtOrAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ring[(head + mid) % ring.length].seq < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
