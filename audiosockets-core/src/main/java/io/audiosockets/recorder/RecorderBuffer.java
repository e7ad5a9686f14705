package io.audiosockets.recorder;

import io.audiosockets.audio.AudioChunk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The recorder's buffer, the producer's copy of the truth: the most recent chunks of the
 * stream, in three runs of increasing sequence numbers: those the mailman has acknowledged
 * (kept to replay to a mailman that restarted and lost them), those sent and in flight, and
 * those waiting to be sent.
 *
 * <p>Bounded by audio duration ({@code RECORDER_BUFFER_SECONDS}) and bytes
 * ({@code RECORDER_BUFFER_BYTES}). For a live source ({@link #offer}), which cannot wait, the
 * oldest chunk goes when either is exceeded, so capture never waits: dropping an acknowledged
 * chunk costs nothing but replay depth; dropping an unacknowledged one loses it, is counted, and
 * the mailman sees the jump in sequence numbers (or, before the first chunk, is told) and reports
 * it downstream as a gap of exactly that range. A source that can wait ({@link #put}: a file, a
 * pipe) is held back instead and loses nothing.
 *
 * <p>Sequence numbers here are the recorder's local ones (0 = first chunk captured).
 *
 * <p>Thread-safe (guarded by {@code this}): the capture thread offers, the event loop sends,
 * acknowledges and replays.
 */
final class RecorderBuffer {
    private final ArrayDeque<AudioChunk> acknowledged = new ArrayDeque<>();
    private final ArrayDeque<AudioChunk> inFlight = new ArrayDeque<>();
    private final ArrayDeque<AudioChunk> pending = new ArrayDeque<>();
    private final long maxNanos;
    private final long maxBytes;
    /** Shared with other recorders of the program: their acknowledged chunks together. */
    private final ReplayBudget shared;
    private long heldNanos;
    private long heldBytes;
    private long dropped;
    private boolean waiting;
    /** Of {@code heldNanos} and {@code heldBytes}, what the acknowledged chunks hold: kept current, never summed per chunk. */
    private long ackedNanos;
    private long ackedBytes;
    private boolean closed;

    RecorderBuffer(long maxNanos, long maxBytes) {
        this(maxNanos, maxBytes, ReplayBudget.unlimited());
    }

    RecorderBuffer(long maxNanos, long maxBytes, ReplayBudget shared) {
        this.maxNanos = maxNanos;
        this.maxBytes = maxBytes;
        this.shared = shared;
    }

    /**
     * Adds a captured chunk; returns how many unacknowledged chunks were dropped (lost) to make
     * room. Never blocks. The newest chunk always stays.
     */
    synchronized int offer(AudioChunk chunk) {
        pending.addLast(chunk);
        heldNanos += chunk.durationNanos();
        heldBytes += chunk.byteCount();
        int lostNow = 0;
        while ((heldNanos > maxNanos || heldBytes > maxBytes) && held() > 1) {
            if (!acknowledged.isEmpty()) {
                dropOldestAcknowledged();
            } else {
                AudioChunk old = inFlight.isEmpty() ? pending.pollFirst() : inFlight.pollFirst();
                heldNanos -= old.durationNanos();
                heldBytes -= old.byteCount();
                lostNow++;
            }
        }
        dropped += lostNow;
        return lostNow;
    }

    /**
     * Adds a chunk of a source that can wait (a file, a pipe, a synthetic signal): blocks the
     * calling capture thread while the chunk fits only by dropping an unacknowledged chunk, so
     * such a source is back-pressured by the mailman and loses nothing. Acknowledged chunks make
     * room as usual. Returns at once, taking the chunk, once {@link #close()} was called (the
     * bound is then exceeded by at most this chunk, which the closing recorder reports if the
     * mailman never acknowledges it).
     *
     * @return how long it waited, in nanoseconds
     * @throws InterruptedException if the capture thread is interrupted while waiting
     */
    synchronized long put(AudioChunk chunk) throws InterruptedException {
        long start = System.nanoTime();
        while (!closed && !makeRoomFor(chunk)) {
            waiting = true;
            try {
                wait();
            } finally {
                waiting = false;
            }
        }
        pending.addLast(chunk);
        heldNanos += chunk.durationNanos();
        heldBytes += chunk.byteCount();
        return System.nanoTime() - start;
    }

    /** Whether {@link #put} would take {@code chunk} now, without waiting. */
    synchronized boolean hasRoomFor(AudioChunk chunk) {
        return closed || held() == acknowledged.size()
                || (heldNanos - ackedNanos + chunk.durationNanos() <= maxNanos && heldBytes - ackedBytes + chunk.byteCount() <= maxBytes);
    }

    // Under the lock: lets acknowledged chunks go until chunk fits; whether it does (or nothing else is left).
    private boolean makeRoomFor(AudioChunk chunk) {
        long nanos = chunk.durationNanos();
        long size = chunk.byteCount();
        while (!acknowledged.isEmpty() && (heldNanos + nanos > maxNanos || heldBytes + size > maxBytes)) {
            dropOldestAcknowledged();
        }
        return held() == 0 || (heldNanos + nanos <= maxNanos && heldBytes + size <= maxBytes);
    }

    /**
     * Ends every wait in {@link #put}: the recorder is closing. Its acknowledged chunks leave the
     * shared budget (a closing recorder answers no replay).
     */
    synchronized void close() {
        closed = true;
        while (!acknowledged.isEmpty()) {
            dropOldestAcknowledged();
        }
        notifyAll();
    }

    // Under the lock: the oldest acknowledged chunk goes.
    private void dropOldestAcknowledged() {
        AudioChunk old = acknowledged.pollFirst();
        heldNanos -= old.durationNanos();
        heldBytes -= old.byteCount();
        ackedNanos -= old.durationNanos();
        ackedBytes -= old.byteCount();
        shared.release(old.byteCount());
    }

    /** The local sequence number of the oldest chunk not acknowledged, or -1 if every chunk is. */
    synchronized long firstUnacknowledged() {
        AudioChunk c = !inFlight.isEmpty() ? inFlight.peekFirst() : pending.peekFirst();
        return c == null ? -1 : c.seq();
    }

    /** The next chunk to send if fewer than {@code window} are in flight, else {@code null}. */
    synchronized AudioChunk nextToSend(int window) {
        if (inFlight.size() >= window || pending.isEmpty()) {
            return null;
        }
        AudioChunk c = pending.pollFirst();
        inFlight.addLast(c);
        return c;
    }

    /**
     * Marks every chunk up to and including local sequence number {@code seq} acknowledged (kept
     * for replay, never sent again unasked); returns how many were newly acknowledged.
     */
    synchronized int acknowledge(long seq) {
        int n = moveAcknowledged(inFlight, seq) + moveAcknowledged(pending, seq);
        while (shared.over() && !acknowledged.isEmpty()) {
            dropOldestAcknowledged(); // the program's recorders together keep too much: this one, which just grew, gives
        }
        if (n > 0 && waiting) {
            notifyAll(); // acknowledged chunks may go now: room for a waiting put
        }
        return n;
    }

    private int moveAcknowledged(ArrayDeque<AudioChunk> q, long seq) {
        int n = 0;
        while (!q.isEmpty() && q.peekFirst().seq() <= seq) {
            AudioChunk c = q.pollFirst();
            n++;
            if (closed) { // a closing recorder answers no replay: what is acknowledged now is let go at once
                heldNanos -= c.durationNanos();
                heldBytes -= c.byteCount();
                continue;
            }
            acknowledged.addLast(c);
            ackedNanos += c.durationNanos();
            ackedBytes += c.byteCount();
            shared.add(c.byteCount());
        }
        return n;
    }

    /** After a disconnect: everything in flight must be sent again, first. */
    synchronized void rewind() {
        for (Iterator<AudioChunk> it = inFlight.descendingIterator(); it.hasNext(); ) {
            pending.addFirst(it.next());
        }
        inFlight.clear();
    }

    /**
     * The acknowledged chunks with local sequence numbers {@code from..to}, in order: what a
     * mailman that lost them (it restarted) asks for again.
     */
    synchronized List<AudioChunk> replay(long from, long to) {
        List<AudioChunk> out = new ArrayList<>();
        for (AudioChunk c : acknowledged) {
            if (c.seq() > to) {
                break;
            }
            if (c.seq() >= from) {
                out.add(c);
            }
        }
        return out;
    }

    /** Chunks not acknowledged yet (in flight and waiting). */
    synchronized int unacknowledged() {
        return inFlight.size() + pending.size();
    }

    /** Chunks held, acknowledged or not. */
    synchronized int held() {
        return acknowledged.size() + inFlight.size() + pending.size();
    }

    /** Bytes of audio held, acknowledged or not. */
    synchronized long heldBytes() {
        return heldBytes;
    }

    /** Unacknowledged chunks dropped because the buffer was full: lost. */
    synchronized long dropped() {
        return dropped;
    }
}
