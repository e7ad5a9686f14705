package io.audiosockets.recorder;

import io.audiosockets.audio.AudioChunk;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The recorder's chunks that the mailman has not acknowledged yet: those sent and in flight,
 * then those waiting to be sent. Bounded by audio duration ({@code RECORDER_BUFFER_SECONDS}):
 * when full, the oldest chunk goes and is counted, so capture never waits; the mailman sees the
 * jump in sequence numbers and reports it downstream as a gap.
 *
 * <p>Sequence numbers here are the recorder's local ones (0 = first chunk captured).
 *
 * <p>Thread-safe (guarded by {@code this}): the capture thread offers, the event loop sends and acknowledges.
 */
final class Outbox {
    private final ArrayDeque<AudioChunk> inFlight = new ArrayDeque<>();
    private final ArrayDeque<AudioChunk> pending = new ArrayDeque<>();
    private final long maxHeldNanos;
    private long heldNanos;
    private long dropped;

    Outbox(long maxHeldNanos) {
        this.maxHeldNanos = maxHeldNanos;
    }

    /** Adds a captured chunk; returns how many old chunks were dropped to make room. Never blocks. */
    synchronized int offer(AudioChunk chunk) {
        pending.addLast(chunk);
        heldNanos += chunk.durationNanos();
        int droppedNow = 0;
        while (heldNanos > maxHeldNanos && inFlight.size() + pending.size() > 1) {
            AudioChunk old = inFlight.isEmpty() ? pending.pollFirst() : inFlight.pollFirst();
            heldNanos -= old.durationNanos();
            droppedNow++;
        }
        dropped += droppedNow;
        return droppedNow;
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

    /** Forgets every chunk up to and including local sequence number {@code seq}; returns how many. */
    synchronized int acknowledge(long seq) {
        int n = drop(inFlight, seq) + drop(pending, seq);
        return n;
    }

    private int drop(ArrayDeque<AudioChunk> q, long seq) {
        int n = 0;
        while (!q.isEmpty() && q.peekFirst().seq() <= seq) {
            heldNanos -= q.pollFirst().durationNanos();
            n++;
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

    /** Chunks held (in flight and pending). */
    synchronized int size() {
        return inFlight.size() + pending.size();
    }

    /** Chunks dropped because the buffer was full. */
    synchronized long dropped() {
        return dropped;
    }
}
