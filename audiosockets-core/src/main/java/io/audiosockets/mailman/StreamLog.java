package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.internal.protocol.StreamFrame;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mailman's retention log of one stream: the most recent chunks, bounded by audio duration
 * and by bytes, in sequence order. Processors read from it through their own cursors, so one
 * that falls behind costs the others nothing; one that falls out of the window gets a
 * {@link Gap} for exactly what was evicted.
 *
 * <p>A log starts empty whenever the mailman starts. A reader that resumes at a position older
 * than anything the log ever held (the mailman restarted; the processor has not) makes the log
 * ask its recorder, through a {@link Replayer}, for that range; the reader waits meanwhile. What
 * the recorder still has is put in front of the log, in order; what it no longer has becomes one
 * {@link GapReason#NOT_AVAILABLE} gap.
 *
 * <p>A stream whose recorder has gone ends when it has been quiet for the retention (no chunk in,
 * none read: a processor still catching up keeps it): the registry then {@linkplain #end() ends}
 * its log, which releases every chunk. Readers that were still behind get one
 * {@link GapReason#RETENTION_EXCEEDED} gap up to the last chunk; a recorder of the same name
 * later starts a new log that continues the numbering ({@code firstSeq}).
 *
 * <p>The log owns one reference to each retained {@link StreamFrame} and releases it on eviction
 * or {@link #end()}; readers get retained duplicates of their own.
 *
 * <p>Thread-safe (guarded by {@code this}): the recorder's event loop appends, every processor's
 * event loop reads. Critical sections are short: no I/O and no callbacks under the lock.
 */
final class StreamLog {
    /** What a stream carries, fixed when its log is made: audio from a recorder, or records from a publisher (PROTOCOL.md §9). */
    enum Kind {
        AUDIO,
        RECORDS
    }

    private final String stream;
    private final Kind kind;
    private final long maxDurationNanos;
    private final long maxBytes;
    /** Where a stream that had ended went on in this log, or -1: what lies before it ended with the old log. */
    private final long firstSeq;
    /** Where arrival and activity times are read: the mailman's {@link Ticker}. */
    private final Ticker ticker;
    /** What all the mailman's logs hold together; every chunk taken in or let go is counted there. */
    private final RetentionBudget budget;
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
    /** Set once, under the lock; read without it by pumps deciding whether to drop a cursor. */
    private volatile boolean ended;
    /** When a chunk last came in or went out, or the recorder left ({@link Ticker#nanoTime()}). */
    private long lastActivityNanos;
    /** The lowest sequence number this log ever accounted for: below it, only the recorder may still have chunks. */
    private long birthSeq = -1;
    /** Chunks up to here (below coveredFrom) are known lost: neither this log nor the recorder had them. */
    private long unavailableUpTo = -1;
    /** The live recorder that can replay, or null. */
    private Replayer replayer;
    /** The outstanding replay request, or null if none. */
    private PendingReplay pending;
    /** Numbers the requests, so that a stale timeout cannot end a newer request. */
    private long replayRequests;

    /** A replay asked of the recorder: {@code from..to}, and once answered, the frames that come. Guarded by the log. */
    private static final class PendingReplay {
        final long request;
        final long from;
        final long to;
        /** The replayed frames received so far, in order; null until the answer. */
        List<StreamFrame> frames;
        long answerFrom;
        long expected;

        PendingReplay(long request, long from, long to) {
            this.request = request;
            this.from = from;
            this.to = to;
        }

        long lastSeq() {
            return frames.isEmpty() ? answerFrom - 1 : frames.get(frames.size() - 1).seq();
        }
    }

    /**
     * The live recorder of a stream, as the log sees it: asked to send a range again. Called
     * outside the log's lock; must only schedule work.
     */
    interface Replayer {
        /** Asks for {@code fromSeq..toSeq}; {@code request} identifies the request for {@link #replayTimedOut}. */
        void requestReplay(StreamLog log, long request, long fromSeq, long toSeq);
    }

    /**
     * One retained chunk; {@code skippedFrom >= 0} when the recorder skipped seqs skippedFrom..seq-1 before it.
     * {@code arrivedNanos} is when it reached the mailman ({@link Ticker#nanoTime()}), or {@link #REPLAYED}
     * for a chunk the recorder sent again (old audio, never "recent").
     */
    private record Entry(long seq, StreamFrame frame, long skippedFrom, long arrivedNanos, long arrivalOrder) {
    }

    /** The arrival time of a replayed chunk: it is old audio, whenever it came in. */
    private static final long REPLAYED = Long.MIN_VALUE;

    /** The outcome of an append. */
    enum Append {
        /** The chunk is new and now held. */
        APPENDED,
        /** The chunk was held already (a resend); it was released. */
        DUPLICATE
    }

    /**
     * An empty log. {@code firstSeq} is -1 for a stream this mailman has never seen, else the
     * number its next chunk will have: the stream ended earlier and its numbering continues. A
     * reader behind {@code firstSeq} then gets a {@link GapReason#RETENTION_EXCEEDED} gap (those
     * chunks ended with the old log), never a replay request.
     */
    StreamLog(String stream, Kind kind, Duration retention, long maxBytes, long firstSeq, Ticker ticker, RetentionBudget budget) {
        this.stream = stream;
        this.kind = kind;
        this.maxDurationNanos = retention.toNanos();
        this.maxBytes = maxBytes;
        this.firstSeq = firstSeq;
        this.ticker = ticker;
        this.budget = budget;
        this.lastActivityNanos = ticker.nanoTime();
        if (firstSeq >= 0) {
            nextSeq = firstSeq;
            coveredFrom = firstSeq;
        }
    }

    /** An already ended log of a stream that ended at {@code endSeq}: lets a returning reader learn what it missed. */
    static StreamLog ended(String stream, long endSeq) {
        // Ended at once: no time is ever read of it.
        StreamLog log = new StreamLog(stream, Kind.AUDIO, Duration.ZERO, 0, endSeq, Ticker.system(), new RetentionBudget(1));
        log.end();
        return log;
    }

    String stream() {
        return stream;
    }

    /** What the stream carries. */
    Kind kind() {
        return kind;
    }

    /**
     * The audio the retained items span, held to RETENTION_SECONDS. For audio, the sum of the
     * chunks' durations; for records, which may be instants (events) or overlap (windows), from
     * the start of the oldest to the end of the newest.
     */
    private long retainedNanos() {
        if (kind == Kind.AUDIO || size == 0) {
            return durationNanos;
        }
        StreamFrame newest = ring[(head + size - 1) % ring.length].frame;
        // The times are the publisher's (not validated): saturate rather than overflow, and read times that go
        // backwards as no span at all (RETENTION_BYTES still bounds the log).
        return Math.max(0, saturatedSub(saturatedAdd(newest.timeNanos(), newest.durationNanos()), ring[head].frame.timeNanos()));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    private static long saturatedSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /**
     * Takes ownership of {@code frame}: holds it, or releases it if it is a duplicate. A jump in
     * sequence numbers is recorded as a skip that readers receive as a {@link GapReason#SOURCE_SKIPPED} gap.
     * Evicts the oldest chunks beyond the retention bounds (the newest chunk always stays).
     */
    Append append(StreamFrame frame) {
        synchronized (this) {
            if (ended || frame.seq() < nextSeq) {
                frame.release();
                return Append.DUPLICATE;
            }
            long now = ticker.nanoTime();
            lastActivityNanos = now;
            long skippedFrom = nextSeq >= 0 && frame.seq() > nextSeq ? nextSeq : -1;
            if (coveredFrom < 0) {
                // The stream begins here, or where its recorder said its numbering began (sourceSkipped).
                coveredFrom = skippedFrom >= 0 ? skippedFrom : frame.seq();
                birthSeq = coveredFrom;
            }
            if (size == ring.length) {
                grow();
            }
            ring[(head + size) % ring.length] = new Entry(frame.seq(), frame, skippedFrom, now, budget.take(frame.encodedBytes()));
            size++;
            bytes += frame.encodedBytes();
            durationNanos += frame.durationNanos();
            nextSeq = frame.seq() + 1;
            while (size > 1 && (retainedNanos() > maxDurationNanos || bytes > maxBytes)) {
                evictOldest();
            }
        }
        wakeReaders();
        return Append.APPENDED;
    }

    /**
     * The recorder says its source skipped {@code fromSeq..toSeq} (chunks it dropped before it
     * could send them, e.g. captured while no mailman was there). Only a log that has no chunk yet
     * needs to be told: it then expects {@code fromSeq} first, so the first chunk that does come
     * records the skip, and a reader that wants the stream from its beginning gets a
     * {@link GapReason#SOURCE_SKIPPED} gap for it. In a log that has chunks, the jump in sequence
     * numbers says the same, and a range it already accounts for changes nothing.
     */
    synchronized void sourceSkipped(long fromSeq, long toSeq) {
        if (!ended && nextSeq < 0 && toSeq >= fromSeq) {
            nextSeq = fromSeq;
        }
    }

    /**
     * The first retained chunk that reached the mailman at or after {@code sinceNanos}
     * ({@link Ticker#nanoTime()}) and after which every chunk did too, or {@link #nextSeq()}'s
     * value if none: where a reader that joins "now, and what just came in" starts. Replayed
     * chunks never count as just come in.
     */
    synchronized long seqArrivedSince(long sinceNanos) {
        long seq = Math.max(nextSeq, 0);
        for (int i = size - 1; i >= 0; i--) {
            Entry e = ring[(head + i) % ring.length];
            if (e.arrivedNanos == REPLAYED || e.arrivedNanos - sinceNanos < 0) {
                break;
            }
            seq = e.skippedFrom >= 0 ? e.skippedFrom : e.seq;
        }
        return seq;
    }

    /**
     * Copies what follows {@code next} into {@code out}: a gap first for whatever before it can
     * never be delivered, then up to {@code maxChunks} chunks (each a retained duplicate the
     * caller must write or release), with a gap before any chunk that does not follow the one
     * before it. If {@code next} is older than anything the log ever held and a recorder is
     * connected, asks it to replay the range and returns nothing until the replay is in. Once the
     * log has ended, all that is left to read is a gap up to its last chunk.
     *
     * @return the sequence number that follows the last item added (== next if none)
     */
    long read(long next, int maxChunks, List<Message> out) {
        ReplayCall call = null;
        synchronized (this) {
            if (ended && next < nextSeq) {
                out.add(new GapFrame(new Gap(stream, next, nextSeq - 1, GapReason.RETENTION_EXCEEDED, "stream '" + stream
                        + "' ended: its recorder left and nothing came in or went out for RETENTION_SECONDS, so the "
                        + "mailman let go of chunks " + next + ".." + (nextSeq - 1) + " before they could be sent")));
                return nextSeq;
            }
            if (size == 0 || next >= nextSeq) {
                return next;
            }
            if (next < birthSeq) {
                if (pending != null) {
                    return next; // a replay is on its way; readers are woken when it is in
                }
                if (replayer != null) {
                    pending = new PendingReplay(++replayRequests, next, birthSeq - 1);
                    call = new ReplayCall(replayer, pending.request, pending.from, pending.to);
                } else {
                    out.add(new GapFrame(new Gap(stream, next, birthSeq - 1, GapReason.NOT_AVAILABLE, "chunks " + next + ".."
                            + (birthSeq - 1) + " precede everything this mailman holds (it restarted?) and no recorder is "
                            + "connected to replay them")));
                    next = birthSeq;
                }
            }
            if (call == null) {
                long from = next;
                next = readRetained(next, maxChunks, out);
                if (next != from) {
                    lastActivityNanos = ticker.nanoTime(); // a processor still catching up keeps an ended stream's tail
                }
            }
        }
        if (call != null) {
            call.replayer.requestReplay(this, call.request, call.from, call.to);
        }
        return next;
    }

    private record ReplayCall(Replayer replayer, long request, long from, long to) {
    }

    // Under the lock; next >= birthSeq.
    private long readRetained(long next, int maxChunks, List<Message> out) {
        if (next < coveredFrom && next <= unavailableUpTo) {
            long to = Math.min(unavailableUpTo, coveredFrom - 1);
            out.add(new GapFrame(new Gap(stream, next, to, GapReason.NOT_AVAILABLE, "chunks " + next + ".." + to
                    + " were lost: the mailman restarted without them and the recorder's buffer "
                    + "(RECORDER_BUFFER_SECONDS/BYTES) no longer held them")));
            next = to + 1;
        }
        if (next < coveredFrom) {
            out.add(new GapFrame(new Gap(stream, next, coveredFrom - 1, GapReason.RETENTION_EXCEEDED, next < firstSeq
                    ? "stream '" + stream + "' had ended and was forgotten (RETENTION_SECONDS after its recorder left) before "
                            + "chunks " + next + ".." + (coveredFrom - 1) + " could be sent"
                    : "fell behind the mailman's retention (RETENTION_SECONDS/RETENTION_BYTES/RETENTION_MAX_BYTES): chunks " + next + ".."
                            + (coveredFrom - 1) + " were evicted before they could be sent")));
            next = coveredFrom;
        }
        int i = indexOfFirstAtOrAfter(next);
        for (int n = 0; i < size && n < maxChunks; i++, n++) {
            Entry e = ring[(head + i) % ring.length];
            if (next < e.seq) {
                // Only a skip the recorder made, or a hole in what it could replay, leaves a jump here.
                out.add(e.skippedFrom >= 0 && e.skippedFrom <= next
                        ? new GapFrame(new Gap(stream, next, e.seq - 1, GapReason.SOURCE_SKIPPED,
                                "the recorder never sent chunks " + next + ".." + (e.seq - 1)))
                        : new GapFrame(new Gap(stream, next, e.seq - 1, GapReason.NOT_AVAILABLE, "chunks " + next + ".." + (e.seq - 1)
                                + " were lost: the mailman restarted without them and the recorder no longer held them")));
            }
            out.add(e.frame.retainedDuplicate());
            next = e.seq + 1;
        }
        return next;
    }

    /** Sets the live recorder that can replay this stream. */
    synchronized void attachReplayer(Replayer r) {
        replayer = r;
    }

    /**
     * The recorder {@code r} left: it can replay no more. An outstanding request is forgotten
     * (frames already received for it are released) and the readers waiting for it are woken:
     * with no recorder to ask, they get a gap for the range and go on with what the log holds,
     * rather than wait for a recorder that may never come back.
     */
    void detachReplayer(Replayer r) {
        synchronized (this) {
            if (replayer != r) {
                return;
            }
            replayer = null;
            lastActivityNanos = ticker.nanoTime();
            if (pending == null) {
                return;
            }
            cancelReplay();
        }
        wakeReaders();
    }

    /**
     * The recorder's answer to the outstanding request: {@code count} replayed frames follow from
     * {@code fromSeq}. Returns false if no request is outstanding or the answer does not fit it
     * (it came too late, after {@link #replayTimedOut}): the caller then discards those frames.
     */
    boolean replayAnswer(long fromSeq, long count) {
        synchronized (this) {
            if (pending == null || pending.frames != null || fromSeq < pending.from || fromSeq > pending.to + 1
                    || count > pending.to - fromSeq + 1) {
                return false;
            }
            pending.answerFrom = fromSeq;
            pending.expected = count;
            pending.frames = new ArrayList<>((int) Math.min(count, 4096));
            if (count > 0) {
                return true;
            }
            completeReplay();
        }
        wakeReaders();
        return true;
    }

    /**
     * One replayed frame; takes ownership. Completes the replay with the last announced frame.
     *
     * @throws ProtocolException if the frame is not one the answer announced
     */
    void replayFrame(StreamFrame frame) {
        synchronized (this) {
            PendingReplay p = pending;
            if (p == null || p.frames == null || frame.seq() <= p.lastSeq() || frame.seq() > p.to) {
                long seq = frame.seq();
                frame.release();
                throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, "replayed AUDIO seq " + seq + " of stream '" + stream
                        + "' is not in the announced range" + (p == null || p.frames == null ? " (no replay announced)"
                        : " " + p.answerFrom + ".." + p.to + " after seq " + p.lastSeq()));
            }
            p.frames.add(frame);
            if (p.frames.size() < p.expected) {
                return;
            }
            completeReplay();
        }
        wakeReaders();
    }

    /**
     * The recorder did not answer in time: what was asked for is counted as lost, readers move on.
     * Returns false if request {@code request} is no longer outstanding (answered, or superseded).
     */
    boolean replayTimedOut(long request) {
        synchronized (this) {
            if (pending == null || pending.request != request || pending.frames != null) {
                return false;
            }
            pending.answerFrom = pending.to + 1;
            pending.frames = new ArrayList<>();
            completeReplay();
        }
        wakeReaders();
        return true;
    }

    // Under the lock: puts the replayed frames in front of the log, in order.
    private void completeReplay() {
        List<StreamFrame> replayed = pending.frames;
        for (int k = replayed.size() - 1; k >= 0; k--) {
            StreamFrame f = replayed.get(k);
            long skippedFrom = k > 0 && replayed.get(k - 1).seq() + 1 < f.seq() ? replayed.get(k - 1).seq() + 1 : -1;
            if (size == ring.length) {
                grow();
            }
            head = (head - 1 + ring.length) % ring.length;
            budget.take(f.encodedBytes());
            ring[head] = new Entry(f.seq(), f, skippedFrom, REPLAYED, Long.MIN_VALUE); // old audio: the first to go
            size++;
            bytes += f.encodedBytes();
            durationNanos += f.durationNanos();
        }
        if (pending.answerFrom > pending.from) {
            unavailableUpTo = Math.max(unavailableUpTo, Math.min(pending.answerFrom - 1, pending.to));
        }
        birthSeq = pending.from;
        coveredFrom = firstCovered(ring[head]);
        pending = null;
        while (size > 1 && (retainedNanos() > maxDurationNanos || bytes > maxBytes)) {
            evictOldest();
        }
    }

    private void cancelReplay() {
        if (pending != null && pending.frames != null) {
            pending.frames.forEach(StreamFrame::release);
        }
        pending = null;
    }

    private void wakeReaders() {
        for (ProcessorSession r : readers) {
            r.wake(this);
        }
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
        // A HELLO may ask for any i64 of milliseconds back: beyond 292 years, nanoseconds overflow; it means "all of it".
        long budget = back.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : back.toNanos();
        long seq = nextSeq;
        if (kind == Kind.RECORDS) {
            // Records may be instants or overlap: go back in time from the end of the newest one.
            StreamFrame newest = ring[(head + size - 1) % ring.length].frame;
            long end = saturatedAdd(newest.timeNanos(), newest.durationNanos());
            for (int i = size - 1; i >= 0 && budget > 0; i--) {
                Entry e = ring[(head + i) % ring.length];
                seq = e.seq;
                if (saturatedSub(end, e.frame.timeNanos()) >= budget) {
                    break;
                }
            }
            return seq;
        }
        for (int i = size - 1; i >= 0 && budget > 0; i--) {
            Entry e = ring[(head + i) % ring.length];
            budget -= e.frame.durationNanos();
            seq = e.seq;
        }
        return seq;
    }

    void addReader(ProcessorSession reader) {
        readers.add(reader);
    }

    void removeReader(ProcessorSession reader) {
        readers.remove(reader);
    }

    /**
     * How long nothing has happened here, at {@code nowNanos}: no chunk in, none read, no recorder
     * leaving. While a recorder is connected this says nothing; the registry only asks when none is.
     */
    synchronized long quietNanos(long nowNanos) {
        return nowNanos - lastActivityNanos;
    }

    /** Whether {@link #end()} was called. Lock-free: a pump asks this of every cursor it visits. */
    boolean ended() {
        return ended;
    }

    /**
     * Ends the log: releases every retained chunk and every pending replay; later appends are
     * released at once, and readers are woken to take their last gap (see {@link #read}).
     * Idempotent.
     */
    void end() {
        markEnded();
        releaseChunks();
        wakeReaders();
    }

    /**
     * The cheap part of {@link #end()}: from now on the log takes no chunk, and readers read only
     * their last gap. The registry marks a log ended under its own lock, so that no processor can
     * see a returning stream's new log before the old one has ended, and releases the chunks after.
     */
    synchronized void markEnded() {
        ended = true;
        cancelReplay();
    }

    /** Ends the log at shutdown, without waking readers (their event loops are stopping). */
    void close() {
        markEnded();
        releaseChunks();
    }

    private synchronized void releaseChunks() {
        while (size > 0) {
            evictOldest();
        }
        ring = new Entry[1];
        head = 0;
    }

    /** Whether this log continues the numbering of a stream that had ended ({@code firstSeq} given). */
    boolean continuesEndedStream() {
        return firstSeq >= 0;
    }

    /**
     * The first sequence number this log has accounted for (its first chunk, the first replayed
     * one, or where an ended stream went on), or -1 if none yet: where a reader that wants the
     * stream from its beginning starts. Unlike {@link #coveredFrom()} it does not move with
     * evictions, so such a reader that comes late gets a gap for what it missed.
     */
    synchronized long origin() {
        return birthSeq >= 0 ? birthSeq : firstSeq;
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
        coveredFrom = size > 0 ? firstCovered(ring[head]) : nextSeq;
    }

    /**
     * The {@linkplain RetentionBudget#take arrival order} of the oldest chunk held, or
     * {@link Long#MAX_VALUE} if none: where the budget's reclaim looks for the audio that came first.
     */
    synchronized long oldestArrivalOrder() {
        return size == 0 ? Long.MAX_VALUE : ring[head].arrivalOrder;
    }

    /**
     * Lets go of every chunk that arrived before {@code order} (the budget is full), even the
     * newest: readers that still needed them get the exact {@link GapReason#RETENTION_EXCEEDED} gap.
     *
     * @return the chunks let go
     */
    synchronized int evictArrivedBefore(long order) {
        int evicted = 0;
        while (size > 0 && ring[head].arrivalOrder < order) {
            evictOldest();
            evicted++;
        }
        return evicted;
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
