package io.audiosockets.mailman;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.internal.protocol.StreamFrame;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBufAllocator;
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
 * event loop reads. Critical sections are short: no I/O and no callbacks under the lock (a replay
 * is asked for and readers are woken after it is let go). The registry may call a log while it
 * holds its own lock, never the other way round.
 *
 * <p>The log is the one facade its sessions and the registry call; what it does is done by parts
 * with one job each, plain objects confined under this log's lock: the {@link RetentionRing}
 * (the chunks held, their bounds and budget, the sequence numbers they account for),
 * {@link GapNotices} (every gap's range, reason and message), {@link PendingReplay} (one replay's
 * life, from request to complete, timed out or cancelled) and {@link LogLifetime} (the ended flag,
 * read without the lock, and the last activity). What stays here is how they meet: where a reader
 * goes next, when to ask the recorder, and what lies before the log's own history
 * ({@code birthSeq}, {@code unavailableUpTo}).
 */
final class StreamLog {
    /** What a stream carries, fixed when its log is made: audio from a recorder, or records from a publisher (PROTOCOL.md §9). */
    enum Kind {
        AUDIO,
        RECORDS
    }

    private final String stream;
    private final Kind kind;
    /** Where a stream that had ended went on in this log, or -1: what lies before it ended with the old log. */
    private final long firstSeq;
    /** Where arrival and activity times are read: the mailman's {@link Ticker}. */
    private final Ticker ticker;
    private final List<ProcessorSession> readers = new CopyOnWriteArrayList<>();

    // The parts, each confined under this log's lock (LogLifetime's ended flag is also read without it).
    /** The chunks held and the sequence numbers they account for. */
    private final RetentionRing ring;
    /** Whether the log has ended, and when anything last happened in it. */
    private final LogLifetime life;
    /** The outstanding replay request, or null if none. */
    private PendingReplay pending;

    /** The lowest sequence number this log ever accounted for: below it, only the recorder may still have chunks. */
    private long birthSeq = -1;
    /**
     * The first seq this log held as it came in (before any replay put older ones in front), or -1:
     * a hole at or above it is audio the mailman held and let go, not audio the recorder lacked.
     */
    private long heldFrom = -1;
    /** Chunks up to here (below the ring's coveredFrom) are known lost: neither this log nor the recorder had them. */
    private long unavailableUpTo = -1;
    /** The live recorder that can replay, or null. */
    private Replayer replayer;
    /** Numbers the requests, so that a stale timeout cannot end a newer request. */
    private long replayRequests;
    /** New chunks appended since the log was made, and their encoded bytes (for status and metrics). */
    private long chunksIn;
    private long bytesIn;
    private final ArrivalRate rate = new ArrivalRate();

    /**
     * The live recorder of a stream, as the log sees it: asked to send a range again. Called
     * outside the log's lock; must only schedule work.
     */
    interface Replayer {
        /** Asks for {@code fromSeq..toSeq}; {@code request} identifies the request for {@link #replayTimedOut}. */
        void requestReplay(StreamLog log, long request, long fromSeq, long toSeq);
    }

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
    StreamLog(String stream, Kind kind, Duration retention, long maxBytes, long firstSeq, Ticker ticker, RetentionBudget budget,
              ByteBufAllocator alloc) {
        this.stream = stream;
        this.kind = kind;
        this.firstSeq = firstSeq;
        this.ticker = ticker;
        this.ring = new RetentionRing(stream, kind, retention, maxBytes, firstSeq, budget, alloc);
        this.life = new LogLifetime(ticker.nanoTime());
    }

    /** An already ended log of a stream that ended at {@code endSeq}: lets a returning reader learn what it missed. */
    static StreamLog ended(String stream, long endSeq) {
        // Ended at once: no time is ever read of it.
        StreamLog log = new StreamLog(stream, Kind.AUDIO, Duration.ZERO, 0, endSeq, Ticker.system(), new RetentionBudget(1),
                ByteBufAllocator.DEFAULT);
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
     * Takes ownership of {@code frame}: keeps a copy of its bytes (its flags cleared; see
     * {@link RetentionRing#append}) and releases it, or only releases it if it is a duplicate. A jump in
     * sequence numbers is recorded as a skip that readers receive as a {@link GapReason#SOURCE_SKIPPED} gap.
     * Evicts the oldest chunks beyond the retention bounds (the newest chunk always stays).
     */
    Append append(StreamFrame frame) {
        synchronized (this) {
            if (life.ended() || frame.seq() < ring.nextSeq()) {
                frame.release();
                return Append.DUPLICATE;
            }
            long now = ticker.nanoTime();
            life.active(now);
            boolean first = ring.coveredFrom() < 0;
            int length = frame.encodedBytes(); // read before the ring releases it
            ring.append(frame, now);
            chunksIn++;
            bytesIn += length;
            rate.arrived(now);
            if (first) {
                birthSeq = ring.coveredFrom(); // the stream begins here, or where its recorder said (sourceSkipped)
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
        if (!life.ended() && toSeq >= fromSeq) {
            ring.expectFirst(fromSeq);
        }
    }

    /**
     * The first retained chunk that reached the mailman at or after {@code sinceNanos}
     * ({@link Ticker#nanoTime()}) and after which every chunk did too, or {@link #nextSeq()}'s
     * value if none: where a reader that joins "now, and what just came in" starts. Replayed
     * chunks never count as just come in.
     */
    synchronized long seqArrivedSince(long sinceNanos) {
        return ring.seqArrivedSince(sinceNanos);
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
            long nextSeq = ring.nextSeq();
            if (life.ended() && next < nextSeq) {
                out.add(new GapFrame(GapNotices.streamEnded(stream, next, nextSeq - 1)));
                return nextSeq;
            }
            if (next >= nextSeq) {
                return next;
            }
            if (next < birthSeq) {
                if (pending != null) {
                    return next; // a replay is on its way; readers are woken when it is in
                }
                if (replayer != null) {
                    pending = new PendingReplay(++replayRequests, next, birthSeq - 1);
                    call = new ReplayCall(replayer, pending.request(), pending.from(), pending.to());
                } else {
                    out.add(new GapFrame(GapNotices.noRecorderToReplay(stream, next, birthSeq - 1)));
                    next = birthSeq;
                }
            }
            if (call == null) {
                long from = next;
                next = readRetained(next, maxChunks, out);
                if (next != from) {
                    life.active(ticker.nanoTime()); // a processor still catching up keeps an ended stream's tail
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
        long coveredFrom = ring.coveredFrom();
        if (next < coveredFrom && next <= unavailableUpTo) {
            long to = Math.min(unavailableUpTo, coveredFrom - 1);
            out.add(new GapFrame(GapNotices.notInRecorderBuffer(stream, next, to)));
            next = to + 1;
        }
        if (next < coveredFrom) {
            out.add(new GapFrame(next < firstSeq
                    ? GapNotices.forgotten(stream, next, coveredFrom - 1)
                    : GapNotices.evicted(stream, next, coveredFrom - 1)));
            next = coveredFrom;
        }
        int size = ring.size();
        int i = ring.indexOfFirstAtOrAfter(next);
        int n = 0;
        for (; i < size && n < maxChunks; i++, n++) {
            long seq = ring.seq(i);
            if (next < seq) {
                // A skip the recorder made, a hole in what it could replay, or, above where the log began, what the
                // budget let go while a replay was on its way.
                long skippedFrom = ring.skippedFrom(i);
                if (skippedFrom >= 0 && skippedFrom <= next) {
                    out.add(new GapFrame(GapNotices.sourceSkipped(stream, next, seq - 1)));
                } else {
                    long evictedFrom = heldFrom >= 0 ? Math.max(next, heldFrom) : seq;
                    if (next < evictedFrom) {
                        out.add(new GapFrame(GapNotices.holeInReplay(stream, next, Math.min(evictedFrom, seq) - 1)));
                    }
                    if (evictedFrom < seq) {
                        out.add(new GapFrame(GapNotices.evicted(stream, evictedFrom, seq - 1)));
                    }
                }
            }
            out.add(ring.frame(i));
            next = seq + 1;
        }
        long nextSeq = ring.nextSeq();
        if (i >= size && n < maxChunks && next < nextSeq && ring.coveredFrom() >= 0) {
            // Past everything held and still short of the newest: the budget let go of the rest, even the newest.
            out.add(new GapFrame(GapNotices.evicted(stream, next, nextSeq - 1)));
            next = nextSeq;
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
            life.active(ticker.nanoTime());
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
            if (pending == null || !pending.answer(fromSeq, count)) {
                return false;
            }
            if (!pending.finished()) {
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
            if (p == null || !p.accepts(frame.seq())) {
                long seq = frame.seq();
                frame.release();
                throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, "replayed AUDIO seq " + seq + " of stream '" + stream
                        + "' is not in the announced range" + (p == null ? " (no replay announced)" : p.announced()));
            }
            if (!p.add(frame)) {
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
            if (pending == null || !pending.timeOut(request)) {
                return false;
            }
            completeReplay();
        }
        wakeReaders();
        return true;
    }

    // Under the lock, with the pending replay finished: puts what the recorder still had in front of the log.
    private void completeReplay() {
        PendingReplay done = pending;
        pending = null; // first: a copy that fails below (no direct memory) must not leave readers waiting for it
        unavailableUpTo = Math.max(unavailableUpTo, done.lostUpTo());
        if (heldFrom < 0) {
            heldFrom = birthSeq;
        }
        birthSeq = done.from();
        ring.prependReplayed(done.frames());
    }

    private void cancelReplay() {
        if (pending != null) {
            pending.cancel();
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
        return ring.nextSeq();
    }

    /** The oldest sequence number still accounted for, or -1 if nothing was ever appended. */
    synchronized long coveredFrom() {
        return ring.coveredFrom();
    }

    /** The sequence number of the oldest retained chunk whose audio started at most {@code back} before the newest one's end. */
    synchronized long seqBack(Duration back) {
        return ring.seqBack(back);
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
        return life.quietNanos(nowNanos);
    }

    /** Whether {@link #end()} was called. Lock-free: a pump asks this of every cursor it visits. */
    boolean ended() {
        return life.ended();
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
        life.markEnded();
        cancelReplay();
    }

    /** Ends the log at shutdown, without waking readers (their event loops are stopping). */
    void close() {
        markEnded();
        releaseChunks();
    }

    private synchronized void releaseChunks() {
        ring.releaseAll();
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

    /**
     * The {@linkplain RetentionBudget#take arrival order} of the oldest chunk held, or
     * {@link Long#MAX_VALUE} if none: where the budget's reclaim looks for the audio that came first.
     */
    /**
     * The stream's figures now, for {@link Mailman#status()}: counters, what it retains, its rate
     * ({@link ArrivalRate}), and the newest chunk's format. Cheap: the same whatever the stream holds.
     */
    synchronized StreamStatus status(long nowNanos, boolean recorderConnected) {
        long next = ring.nextSeq();
        int size = ring.size();
        double sinceLast = -1;
        int sampleRate = 0;
        int channels = 0;
        if (size > 0) {
            sinceLast = Math.max(0, nowNanos - ring.arrivedNanos(size - 1)) / 1e9;
            StreamFrame newest = ring.frame(size - 1);
            if (newest instanceof AudioFrame a) {
                sampleRate = a.sampleRate();
                channels = a.channels();
            }
            newest.release();
        }
        return new StreamStatus(stream, kind == Kind.AUDIO ? "audio" : "results", recorderConnected, chunksIn, bytesIn,
                rate.perSecond(nowNanos),
                next < 0 ? -1 : next - 1, size > 0 ? ring.seq(0) : -1, size, ring.bytes(), ring.retainedNanos() / 1e9,
                sinceLast, sampleRate, channels);
    }

    /**
     * When the first retained chunk at or after {@code seq} reached the mailman ({@link Ticker}
     * time), or -1 if none is held: how long a processor's oldest unacknowledged chunk has waited.
     */
    synchronized long arrivedNanosAtOrAfter(long seq) {
        int i = ring.indexOfFirstAtOrAfter(seq);
        return i < ring.size() ? ring.arrivedNanos(i) : -1;
    }

    /**
     * Copies of the retained audio chunks after {@code afterSeq}, at most the newest {@code max}:
     * what a watcher (a level meter, a spectrogram) reads. Records are not audio and are skipped.
     */
    synchronized List<AudioChunk> audioAfter(long afterSeq, int max) {
        int size = ring.size();
        int from = Math.max(ring.indexOfFirstAtOrAfter(afterSeq + 1), size - max);
        List<AudioChunk> out = new ArrayList<>(Math.max(0, size - from));
        for (int i = from; i < size; i++) {
            StreamFrame f = ring.frame(i);
            if (f instanceof AudioFrame a) {
                out.add(a.toChunk());
            }
            f.release();
        }
        return out;
    }

    synchronized long oldestArrivalOrder() {
        return ring.oldestArrivalOrder();
    }

    /**
     * Lets go of every chunk that arrived before {@code order} (the budget is full), even the
     * newest: readers that still needed them get the exact {@link GapReason#RETENTION_EXCEEDED} gap.
     *
     * @return the chunks let go
     */
    synchronized int evictArrivedBefore(long order) {
        return ring.evictArrivedBefore(order);
    }
}
