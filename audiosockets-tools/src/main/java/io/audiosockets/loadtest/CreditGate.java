package io.audiosockets.loadtest;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Flow control for the fan-out workload, whose source is not paced: chunk {@code k} may go once
 * fewer than {@code ackBound} chunks are unacknowledged by the mailman <em>and</em> fewer than
 * {@code lagBound} are still unprocessed by the slowest processor.
 *
 * <p>Why both: a recorder never blocks its capture (its outbox drops the oldest chunks beyond
 * RECORDER_BUFFER_SECONDS), and the mailman never holds a recorder back for a processor (one that
 * falls further behind than the retention gets a gap). So "as fast as the mailman accepts" without
 * loss is the pace at which the mailman acknowledges and every processor keeps within the
 * retention: this gate imposes exactly that, as a well-behaved producer would.
 *
 * <p>{@link #awaitTurn} runs on the capture thread; {@link #signal()} may be called from any
 * thread (the recorder's event loop on ACK, processor threads after each chunk).
 */
final class CreditGate implements Gate {
    /** The longest park between checks: a safety net, progress is signalled. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long ackBound;
    private final long lagBound;
    private volatile LongSupplier acknowledged = () -> Long.MAX_VALUE;
    private volatile LongSupplier slowestDone = () -> Long.MAX_VALUE;
    private volatile Thread waiter;
    private volatile boolean closed;

    CreditGate(long ackBound, long lagBound) {
        if (ackBound < 1 || lagBound < 1) {
            throw new IllegalArgumentException("ackBound : " + ackBound + ", lagBound : " + lagBound + " (expected: >= 1)");
        }
        this.ackBound = ackBound;
        this.lagBound = lagBound;
    }

    /**
     * Where the counts come from: chunks the mailman acknowledged, and the least number of chunks
     * any processor has finished (processed or learnt missing). Set before the source starts.
     */
    void bind(LongSupplier acknowledged, LongSupplier slowestDone) {
        this.acknowledged = acknowledged;
        this.slowestDone = slowestDone;
    }

    @Override
    public boolean awaitTurn(long index) throws InterruptedException {
        while (!closed && blocked(index)) {
            waiter = Thread.currentThread();
            if (blocked(index) && !closed) { // checked again after publishing ourselves: no lost wake-up
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            }
            waiter = null;
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for credit");
            }
        }
        return !closed;
    }

    private boolean blocked(long index) {
        return index - acknowledged.getAsLong() >= ackBound || index - slowestDone.getAsLong() >= lagBound;
    }

    /** Progress was made (an ACK, a processed chunk): wakes the source if it waits. */
    void signal() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    @Override
    public void close() {
        closed = true;
        signal();
    }
}
