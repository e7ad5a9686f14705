package io.audiosockets.processor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The acknowledgement of one chunk (or record) that its processor took over with
 * {@link BaseProcessor#acknowledgeLater()}: the mailman is told the chunk is done only once
 * {@link #acknowledge()} has been called for it and for every chunk before it on its stream.
 *
 * <p>For a processor whose work finishes elsewhere and later (a write to Kafka, a database, a
 * remote service): {@code processData} hands the chunk on and returns at once, the next chunk
 * follows without waiting, and the acknowledgement is given when the work is really done, from
 * whichever thread learns it. Until then the chunk is not acknowledged: if the processor stops or
 * crashes first, the mailman gives it again to the next processor under this name, flagged as a
 * redelivery.
 *
 * <p>Thread-safe; {@link #acknowledge()} may be called from any thread, more than once (only the
 * first call counts).
 */
public final class PendingAck {
    private final AckOrder order;
    private final String stream;
    private final long seq;
    private final AtomicBoolean acknowledged = new AtomicBoolean();

    PendingAck(AckOrder order, String stream, long seq) {
        this.order = order;
        this.stream = stream;
        this.seq = seq;
    }

    /** The stream of the chunk. */
    public String stream() {
        return stream;
    }

    /** The chunk's sequence number. */
    public long seq() {
        return seq;
    }

    /** Whether {@link #acknowledge()} was called. */
    public boolean isAcknowledged() {
        return acknowledged.get();
    }

    /**
     * The chunk is done: the mailman is told as soon as every chunk before it on its stream is
     * done too. Any thread; only the first call counts.
     */
    public void acknowledge() {
        if (acknowledged.compareAndSet(false, true)) {
            order.acknowledged(this);
        }
    }

    @Override
    public String toString() {
        return "PendingAck[" + stream + " #" + seq + (acknowledged.get() ? ", acknowledged]" : "]");
    }
}
