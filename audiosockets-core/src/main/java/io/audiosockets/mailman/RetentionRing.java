package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.StreamFrame;
import io.netty.buffer.ByteBufAllocator;
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
 * <p>A chunk held is its bytes in {@link ChunkSlabs} and a row of numbers in one array (its seq,
 * skip, arrival, times and place in the slabs): no object per chunk, so that what a thousand
 * streams retain costs the garbage collector nothing. {@link #frame} makes a frame of a row for
 * a reader, sharing the slab's bytes.
 *
 * <p>Not thread-safe: confined under its {@link StreamLog}'s lock, like every part of the log.
 */
final class RetentionRing {
    /** The arrival time of a replayed chunk: it is old audio, whenever it came in. */
    static final long REPLAYED = Long.MIN_VALUE;

    // A chunk's row in {@link #rows}: ROW longs at index * ROW.
    private static final int SEQ = 0;
    /** The first seq of the skip the recorder made just before this chunk, or -1 if none. */
    private static final int SKIPPED_FROM = 1;
    /** When it reached the mailman ({@link Ticker#nanoTime()}), or {@link #REPLAYED}. */
    private static final int ARRIVED = 2;
    /** Its place in the {@linkplain RetentionBudget#take order of arrival} across streams. */
    private static final int ORDER = 3;
    private static final int TIME = 4;
    private static final int DURATION = 5;
    /** Where its bytes are in {@link #slabs}. */
    private static final int LOCATION = 6;
    private static final int LENGTH = 7;
    private static final int ROW = 8;

    private final String stream;
    private final StreamLog.Kind kind;
    private final long maxDurationNanos;
    private final long maxBytes;
    private final RetentionBudget budget;
    private final ChunkSlabs slabs;

    /** The rows of the chunks held, a ring of {@code capacity} rows from {@link #head}. */
    private long[] rows = new long[16 * ROW];
    private int capacity = 16;
    private int head;
    private int size;
    private long bytes;
    private long durationNanos;
    /** The next sequence number expected from the recorder; -1 before the first append. */
    private long nextSeq = -1;
    /** The first sequence number the ring can still account for (a chunk or a known skip); -1 before the first append. */
    private long coveredFrom = -1;

    /**
     * An empty ring of {@code stream} that holds at most {@code maxDuration} of audio and
     * {@code maxBytes} of frames, in slabs from {@code alloc}. {@code firstSeq} is -1, or the
     * number the first chunk will have (a stream that had ended goes on): the ring then accounts
     * for everything from there.
     */
    RetentionRing(String stream, StreamLog.Kind kind, Duration maxDuration, long maxBytes, long firstSeq, RetentionBudget budget,
                  ByteBufAllocator alloc) {
        this.stream = stream;
        this.kind = kind;
        this.maxDurationNanos = maxDuration.toNanos();
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.slabs = new ChunkSlabs(alloc, budget);
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

    /** The sequence number of the chunk at {@code index} (0 is the oldest held). */
    long seq(int index) {
        return field(index, SEQ);
    }

    /** The first seq of the skip the recorder made just before the chunk at {@code index}, or -1 if none. */
    long skippedFrom(int index) {
        return field(index, SKIPPED_FROM);
    }

    /** The first sequence number the chunk at {@code index} accounts for: its skip, if any, or its own. */
    long firstCovered(int index) {
        long skippedFrom = field(index, SKIPPED_FROM);
        return skippedFrom >= 0 ? skippedFrom : field(index, SEQ);
    }

    /** When the chunk at {@code index} reached the mailman ({@link Ticker#nanoTime()}), or {@link #REPLAYED}. */
    long arrivedNanos(int index) {
        return field(index, ARRIVED);
    }

    /** The chunk at {@code index}'s place in the {@linkplain RetentionBudget#take order of arrival} across streams. */
    long arrivalOrder(int index) {
        return field(index, ORDER);
    }

    /**
     * The chunk at {@code index}, as a frame the caller owns and must release (or pass on): it
     * shares the ring's bytes, which it keeps even if the ring lets go of the chunk meanwhile.
     */
    StreamFrame frame(int index) {
        int at = row(index);
        return FrameCodec.rewrap(stream, slabs.retainedSlice(rows[at + LOCATION], (int) rows[at + LENGTH]));
    }

    /** Until the first chunk comes, expect {@code seq} first: a chunk that comes later records a skip from there. */
    void expectFirst(long seq) {
        if (nextSeq < 0) {
            nextSeq = seq;
        }
    }

    /**
     * Keeps a copy of {@code frame}, a chunk newer than any held ({@code seq >= nextSeq()}), that
     * reached the mailman at {@code arrivedNanos}, and releases it: the ring holds its own bytes,
     * not a buffer a client's bytes were read into. Its flags are cleared: they are the mailman's
     * to set (REDELIVERY), a recorder's bits must not reach processors. A jump in sequence numbers
     * is recorded as a skip before it. Then evicts the oldest chunks beyond the bounds (the newest
     * always stays).
     */
    void append(StreamFrame frame, long arrivedNanos) {
        long seq = frame.seq();
        if (seq < nextSeq) {
            frame.release();
            throw new IllegalStateException("seq " + seq + " is older than the next expected, " + nextSeq);
        }
        long skippedFrom = nextSeq >= 0 && seq > nextSeq ? nextSeq : -1;
        if (size == capacity) {
            grow();
        }
        int at = row(size);
        int length = frame.encodedBytes();
        store(at, frame, skippedFrom, arrivedNanos); // first: if the copy fails (no direct memory), the ring is as it was
        rows[at + ORDER] = budget.take(length);
        if (coveredFrom < 0) {
            // The stream begins here, or where its recorder said its numbering began (expectFirst).
            coveredFrom = skippedFrom >= 0 ? skippedFrom : seq;
        }
        size++;
        nextSeq = seq + 1;
        trimToBounds();
    }

    /**
     * Keeps copies of {@code replayed}, chunks the recorder sent again, in increasing order and
     * all older than anything held, and releases them: puts them in front, as old audio (the first
     * of this stream to go, to a reclaim too), with a skip before any that does not follow the one
     * before it. Then evicts the oldest chunks beyond the bounds.
     */
    void prependReplayed(List<StreamFrame> replayed) {
        // Their place in the order of arrival: just before this log's oldest, so that a reclaim takes them before the
        // rest of this stream but after older audio of other streams (not all of them at once, whatever it needs).
        long order = size > 0 ? rows[head * ROW + ORDER] : budget.nextOrder();
        int k = replayed.size() - 1;
        try {
            for (; k >= 0; k--) {
                StreamFrame f = replayed.get(k);
                long skippedFrom = k > 0 && replayed.get(k - 1).seq() + 1 < f.seq() ? replayed.get(k - 1).seq() + 1 : -1;
                if (size == capacity) {
                    grow();
                }
                int length = f.encodedBytes();
                int at = row(capacity - 1); // the row before head
                store(at, f, skippedFrom, REPLAYED);
                budget.take(length);
                order -= length;
                rows[at + ORDER] = order;
                head = (head - 1 + capacity) % capacity;
                size++;
            }
        } finally {
            // A copy that failed (no direct memory) released its frame; the ones it did not reach are released here,
            // and what was put in front is accounted for (what was not is a hole readers get a gap for).
            for (int j = k - 1; j >= 0; j--) {
                replayed.get(j).release();
            }
            // An empty ring (a reclaim let go of everything meanwhile) accounts from where it goes on, as after any eviction.
            coveredFrom = size > 0 ? firstCovered(0) : nextSeq;
        }
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
            long arrived = field(i, ARRIVED);
            if (arrived == REPLAYED || arrived - sinceNanos < 0) {
                break;
            }
            seq = firstCovered(i);
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
            long end = saturatedAdd(field(size - 1, TIME), field(size - 1, DURATION));
            for (int i = size - 1; i >= 0 && left > 0; i--) {
                seq = field(i, SEQ);
                if (saturatedSub(end, field(i, TIME)) >= left) {
                    break;
                }
            }
            return seq;
        }
        for (int i = size - 1; i >= 0 && left > 0; i--) {
            left -= field(i, DURATION);
            seq = field(i, SEQ);
        }
        return seq;
    }

    /** The index of the first chunk held whose seq is at least {@code seq} ({@link #size()} if none). */
    int indexOfFirstAtOrAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (field(mid, SEQ) < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The arrival order of the oldest chunk held, or {@link Long#MAX_VALUE} if none. */
    long oldestArrivalOrder() {
        return size == 0 ? Long.MAX_VALUE : rows[head * ROW + ORDER];
    }

    /** Lets go of every chunk that arrived before {@code order}, even the newest; returns how many. */
    int evictArrivedBefore(long order) {
        int evicted = 0;
        while (size > 0 && rows[head * ROW + ORDER] < order) {
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
        slabs.releaseAll();
        rows = new long[ROW];
        capacity = 1;
        head = 0;
    }

    /** The direct memory the chunks' slabs take: their bytes and the room around them (see {@link ChunkSlabs}). */
    long slabBytes() {
        return slabs.slabBytes();
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
        // The times are the publisher's (not validated): saturate rather than overflow, and read times that go
        // backwards as no span at all (the byte bound still holds the ring).
        long end = saturatedAdd(field(size - 1, TIME), field(size - 1, DURATION));
        return Math.max(0, saturatedSub(end, field(0, TIME)));
    }

    /**
     * Copies {@code f} into the slabs and its numbers into the row at {@code at} (all but its
     * arrival order, the caller's once the bytes are held); releases {@code f}.
     */
    private void store(int at, StreamFrame f, long skippedFrom, long arrivedNanos) {
        int length = f.encodedBytes();
        long duration = f.durationNanos();
        long seq = f.seq();
        long time = f.timeNanos();
        long location;
        try {
            location = slabs.put(f);
        } finally {
            f.release();
        }
        rows[at + SEQ] = seq;
        rows[at + SKIPPED_FROM] = skippedFrom;
        rows[at + ARRIVED] = arrivedNanos;
        rows[at + TIME] = time;
        rows[at + DURATION] = duration;
        rows[at + LENGTH] = length;
        rows[at + LOCATION] = location;
        bytes += length;
        durationNanos += duration;
    }

    private void trimToBounds() {
        while (size > 1 && (retainedNanos() > maxDurationNanos || bytes > maxBytes)) {
            evictOldest();
        }
    }

    private void evictOldest() {
        int at = head * ROW;
        long length = rows[at + LENGTH];
        slabs.free(rows[at + LOCATION]);
        head = (head + 1) % capacity;
        size--;
        bytes -= length;
        durationNanos -= rows[at + DURATION];
        budget.release(length);
        coveredFrom = size > 0 ? firstCovered(0) : nextSeq;
        if (size == 0) {
            slabs.releaseEmpty();
        }
    }

    /** Where the row of the chunk at {@code index} begins in {@link #rows}. */
    private int row(int index) {
        return (head + index) % capacity * ROW;
    }

    private long field(int index, int field) {
        return rows[row(index) + field];
    }

    private void grow() {
        long[] bigger = new long[capacity * 2 * ROW];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows, row(i), bigger, i * ROW, ROW);
        }
        rows = bigger;
        capacity *= 2;
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
