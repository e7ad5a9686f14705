package io.audiosockets.processor;

import java.util.ArrayDeque;

/**
 * One stream's acknowledgements in order, for a processor that takes some of them over
 * ({@link BaseProcessor#acknowledgeLater()}). ACK is cumulative per stream (PROTOCOL.md §5.4): the
 * mailman may be told "up to N" only once N and everything before it are done. So once a chunk of
 * the stream is pending, what is done after it (chunks whose {@code processData} returned, gaps)
 * waits in line behind it, and an acknowledgement releases the done prefix of the line.
 *
 * <p>The line is bounded by what the mailman may have unacknowledged with this processor: its
 * window of chunks per stream, plus the gaps between them.
 *
 * <p>Thread-safe: the processor's thread adds to the line, any thread acknowledges.
 */
final class AckOrder {
    /** Where the released prefix goes. */
    interface Settled {
        /**
         * {@code pending} was acknowledged; {@code upTo} is the last sequence number of the stream
         * now done with everything before it, or -1 if the line still waits on an earlier one.
         */
        void settled(String stream, long upTo, PendingAck pending);
    }

    /** A place in the line: a sequence number, and the acknowledgement it waits for (null: done). */
    private record Entry(long seq, PendingAck pending) {
        boolean done() {
            return pending == null || pending.isAcknowledged();
        }
    }

    private final String stream;
    private final Settled settled;
    private final ArrayDeque<Entry> line = new ArrayDeque<>();

    AckOrder(String stream, Settled settled) {
        this.stream = stream;
        this.settled = settled;
    }

    /**
     * The processor's thread: {@code seq} is done (processed, or the end of a gap). True if nothing
     * is pending before it, so that it may be acknowledged at once; else it waits in line.
     */
    synchronized boolean completed(long seq) {
        if (line.isEmpty()) {
            return true;
        }
        line.addLast(new Entry(seq, null));
        return false;
    }

    /** The processor's thread: {@code seq} will be done when the returned acknowledgement is given. */
    synchronized PendingAck defer(long seq) {
        PendingAck pending = new PendingAck(this, stream, seq);
        line.addLast(new Entry(seq, pending));
        return pending;
    }

    /** Any thread, once per acknowledgement: releases the done prefix of the line. */
    void acknowledged(PendingAck pending) {
        long upTo = -1;
        synchronized (this) {
            while (!line.isEmpty() && line.peekFirst().done()) {
                upTo = Math.max(upTo, line.pollFirst().seq()); // ACK is cumulative: never tell less than a later place did
            }
        }
        settled.settled(stream, upTo, pending);
    }

    /** The sequence number at the head of the line (the first not yet acknowledged), or -1 if the line is empty. */
    synchronized long firstWaiting() {
        Entry first = line.peekFirst();
        return first == null ? -1 : first.seq();
    }

    /** How many places the line holds: pending acknowledgements and what waits behind them. */
    synchronized int waiting() {
        return line.size();
    }
}
