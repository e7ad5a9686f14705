package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.StreamFrame;
import java.time.Duration;
import java.util.List;

/**
 * The chunks a {@link StreamLog} retains, in increasing sequence order, and the range of sequence
 * numbers they account for: from {@link #coveredFrom()} (the oldest chunk, or the skip the
 * recorder made before it) up to {@link #nextSeq()}. Bounded by audio duration and by bytes: an
 * append evicts the oldest chunks beyond either bound, but never the newest. Every chunk taken in
 * or let go is counted in the mailman's {@link RetentionBudget}, whose reclaim may then let go of
 * whatever {@linkplain #evictArrivedBefore arrived first}, even the newest.
 *
 * <p>Owns one reference to each retained {@link StreamFrame} and releases it on eviction; callers
 * that want a chunk take a {@linkplain StreamFrame#retainedDuplicate() retained duplicate}.
 *
 * <p>Not thread-safe: confined under its {@link StreamLog}'s lock, like every part of the log.
 */
final class RetentionRing {
    /**
     * One retained chunk; {@code skippedFrom >= 0} when the recorder skipped seqs skippedFrom..seq-1 before it.
     * {@code arrivedNanos} is when it reached the mailman ({@link Ticker#nanoTime()}), or {@link #REPLAYED}
     * for a chunk the recorder sent again (old audio, never "recent"). {@code arrivalOrder} is its place in
     * the {@linkplain RetentionBudget#take order of arrival} across streams.
     */
    record Entry(long seq, StreamFrame frame, long skippedFrom, long arrivedNanos, long arrivalOrder) {
        /** The first sequence number this entry accounts for: its skip, if any, or its own. */
        long firstCovered() {
            return skippedFrom >= 0 ? skippedFrom : seq;
        }
    }

    /** The arrival time of a replayed chunk: it is old audio, whenever it came in. */
    static final long REPLAYED = Long.MIN_VALUE;

    private final StreamLog.Kind kind;
    private final long maxDurationNanos;
    private final long maxBytes;
    private final RetentionBudget budget;

    private Entry[] ring = new Entry[64];
    private int head;
    private int size;
    private long bytes;
    private long durationNanos;
    /** The next sequence number expected from the recorder; -1 before the first append. */
    private long nextSeq = -1;
    /** The first sequence number the ring can still account for (a chunk or a known skip); -1 before the first append. */
    private long coveredFrom = -1;

    /**
     * An empty ring that holds at most {@code maxDuration} of audio and {@code maxBytes} of frames.
     * {@code firstSeq} is -1, or the number the first chunk will have (a stream that had ended
     * goes on): the ring then accounts for everything from there.
     */
    RetentionRing(StreamLog.Kind kind, Duration maxDuration, long maxBytes, long firstSeq, RetentionBudget budget) {
        this.kind = kind;
        this.maxDurationNanos = maxDuration.toNanos();
        this.maxBytes = maxBytes;
        this.budget = budget;
        if (firstSeq >= 0) {
            nextSeq = firstSeq;
            coveredFrom = firstSeq;
        }
    }

    /** The sequence number the next new chunk will have, or -1 if none is expected yet. */
    long nextSeq() {
        return nextSeq;
    }

    /** The oldest sequence number still accounted for, or -1 if nothing was ever appended. */
    long coveredFrom() {
        return coveredFrom;
    }

    /** How many chunks are held. */
    int size() {
        return size;
    }

    /** The encoded bytes of the chunks held. */
    long bytes() {
        return bytes;
    }

    /** The chunk at {@code index} (0 is the oldest held). */
    Entry entry(int index) {
        return ring[(head + index) % ring.length];
    }

    /** Until the first chunk comes, expect {@code seq} first: a chunk that comes later records a skip from there. */
    void expectFirst(long seq) {
        if (nextSeq < 0) {
            nextSeq = seq;
        }
    }

    /**
     * Takes ownership of {@code frame}, a chunk newer than any held ({@code seq >= nextSeq()}),
     * that reached the mailman at {@code arrivedNanos}. A jump in sequence numbers is recorded as a
     * skip before it. Then evicts the oldest chunks beyond the bounds (the newest always stays).
     */
    void append(StreamFrame frame, long arrivedNanos) {
        long seq = frame.seq();
        if (seq < nextSeq) {
            throw new IllegalStateException("seq " + seq + " is older than the next expected, " + nextSeq);
        }
        long skippedFrom = nextSeq >= 0 && seq > nextSeq ? nextSeq : -1;
        if (coveredFrom < 0) {
            // The stream begins here, or where its recorder said its numbering began (expectFirst).
            coveredFrom = skippedFrom >= 0 ? skippedFrom : seq;
        }
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) % ring.length] = new Entry(seq, frame, skippedFrom, arrivedNanos, budget.take(frame.encodedBytes()));
        size++;
        bytes += frame.encodedBytes();
        durationNanos += frame.durationNanos();
        nextSeq = seq + 1;
        trimToBounds();
    }

    /**
     * Takes ownership of {@code replayed}, chunks the recorder sent again, in increasing order and
     * all older than anything held: puts them in front, as old audio (the first of this stream to go, to a
     * reclaim too), with a skip before any that does not follow the one before it. Then evicts the
     * oldest chunks beyond the bounds.
     */
    void prependReplayed(List<StreamFrame> replayed) {
        // Their place in the order of arrival: just before this log's oldest, so that a reclaim takes them before the
        // rest of this stream but after older audio of other streams (not all of them at once, whatever it needs).
        long order = size > 0 ? ring[head].arrivalOrder : budget.nextOrder();
        for (int k = replayed.size() - 1; k >= 0; k--) {
            StreamFrame f = replayed.get(k);
            long skippedFrom = k > 0 && replayed.get(k - 1).seq() + 1 < f.seq() ? replayed.get(k - 1).seq() + 1 : -1;
            if (size == ring.length) {
                grow();
            }
            head = (head - 1 + ring.length) % ring.length;
            budget.take(f.encodedBytes());
            order -= f.encodedBytes();
            ring[head] = new Entry(f.seq(), f, skippedFrom, REPLAYED, order);
            size++;
            bytes += f.encodedBytes();
            durationNanos += f.durationNanos();
        }
        // An empty ring (a reclaim let go of everything meanwhile) accounts from where it goes on, as after any eviction.
        coveredFrom = size > 0 ? ring[head].firstCovered() : nextSeq;
        trimToBounds();
    }

    /**
     * The first chunk that reached the mailman at or after {@code sinceNanos} and after which every
     * chunk did too (its skip included), or {@link #nextSeq()} (at least 0) if none. Replayed chunks
     * never count as just come in.
     */
    long seqArrivedSince(long sinceNanos) {
        long seq = Math.max(nextSeq, 0);
        for (int i = size - 1; i >= 0; i--) {
            Entry e = entry(i);
            if (e.arrivedNanos == REPLAYED || e.arrivedNanos - sinceNanos < 0) {
                break;
            }
            seq = e.firstCovered();
        }
        return seq;
    }

    /**
     * The sequence number of the oldest chunk held whose audio started at most {@code back} before
     * the newest one's end, or {@link #nextSeq()} (at least 0) if none is held.
     */
    long seqBack(Duration back) {
        if (size == 0) {
            return Math.max(nextSeq, 0);
        }
        // A HELLO may ask for any i64 of milliseconds back: beyond 292 years, nanoseconds overflow; it means "all of it".
        long left = back.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : back.toNanos();
        long seq = nextSeq;
        if (kind == StreamLog.Kind.RECORDS) {
            // Records may be instants or overlap: go back in time from the end of the newest one.
            StreamFrame newest = entry(size - 1).frame;
            long end = saturatedAdd(newest.timeNanos(), newest.durationNanos());
            for (int i = size - 1; i >= 0 && left > 0; i--) {
                Entry e = entry(i);
                seq = e.seq;
                if (saturatedSub(end, e.frame.timeNanos()) >= left) {
                    break;
                }
            }
            return seq;
        }
        for (int i = size - 1; i >= 0 && left > 0; i--) {
            Entry e = entry(i);
            left -= e.frame.durationNanos();
            seq = e.seq;
        }
        return seq;
    }

    /** The index of the first chunk held whose seq is at least {@code seq} ({@link #size()} if none). */
    int indexOfFirstAtOrAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entry(mid).seq < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The arrival order of the oldest chunk held, or {@link Long#MAX_VALUE} if none. */
    long oldestArrivalOrder() {
        return size == 0 ? Long.MAX_VALUE : ring[head].arrivalOrder;
    }

    /** Lets go of every chunk that arrived before {@code order}, even the newest; returns how many. */
    int evictArrivedBefore(long order) {
        int evicted = 0;
        while (size > 0 && ring[head].arrivalOrder < order) {
            evictOldest();
            evicted++;
        }
        return evicted;
    }

    /** Lets go of every chunk and of the memory that held them (the log has ended). */
    void releaseAll() {
        while (size > 0) {
            evictOldest();
        }
        ring = new Entry[1];
        head = 0;
    }

    /**
     * The audio the chunks span, held to the duration bound. For audio, the sum of the chunks'
     * durations; for records, which may be instants (events) or overlap (windows), from the start
     * of the oldest to the end of the newest.
     */
    long retainedNanos() {
        if (kind == StreamLog.Kind.AUDIO || size == 0) {
            return durationNanos;
        }
        StreamFrame newest = entry(size - 1).frame;
        // The times are the publisher's (not validated): saturate rather than overflow, and read times that go
        // backwards as no span at all (the byte bound still holds the ring).
        return Math.max(0, saturatedSub(saturatedAdd(newest.timeNanos(), newest.durationNanos()), ring[head].frame.timeNanos()));
    }

    private void trimToBounds() {
        while (size > 1 && (retainedNanos() > maxDurationNanos || bytes > maxBytes)) {
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
        budget.release(e.frame.encodedBytes());
        e.frame.release();
        coveredFrom = size > 0 ? ring[head].firstCovered() : nextSeq;
    }

    private void grow() {
        Entry[] bigger = new Entry[ring.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = entry(i);
        }
        ring = bigger;
        head = 0;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    private static long saturatedSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
