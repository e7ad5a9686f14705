package io.audiosockets.loadtest;

import io.audiosockets.client.ClientListener;
import io.audiosockets.client.ConnectionInfo;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recorder's listener for the benchmarks: turns the mailman's cumulative ACKs into an
 * acknowledgement latency per chunk (from the chunk's scheduled hand-off, {@link PacedGate}),
 * counts connection losses, and passes every ACK on (e.g. to a {@link CreditGate}).
 *
 * <p>Callbacks run on the recorder's event loop, which confines {@code seqBase} and {@code acked};
 * {@link #disconnects()} may be read from any thread.
 */
final class AckTracker implements ClientListener {
    private final PacedGate gate;
    private final Latencies latencies;
    private final Runnable onAck;
    private final AtomicLong disconnects = new AtomicLong();
    /** Written once on the recorder's loop; volatile for the processors' threads that read it ({@link #seqBase()}). */
    private volatile long seqBase = -1;
    private long acked = -1;

    /**
     * @param gate the source's pace, for each chunk's schedule; null not to measure latency
     * @param latencies where acknowledgement latencies go; null not to measure them
     * @param onAck run after every ACK
     */
    AckTracker(PacedGate gate, Latencies latencies, Runnable onAck) {
        this.gate = gate;
        this.latencies = latencies;
        this.onAck = onAck;
    }

    @Override
    public void onConnected(ConnectionInfo welcome, boolean reconnect) {
        if (seqBase < 0) {
            seqBase = welcome.lastSeq() + 1; // the recorder numbers its chunks from here
        }
    }

    @Override
    public void onAcknowledged(long seq) {
        long upTo = seq - seqBase;
        if (gate != null && latencies != null && upTo > acked) {
            long now = System.nanoTime();
            for (long k = acked + 1; k <= upTo; k++) {
                latencies.record(gate.scheduledNanos(k), now);
            }
        }
        acked = Math.max(acked, upTo);
        onAck.run();
    }

    @Override
    public void onDisconnected(String reason) {
        disconnects.incrementAndGet();
    }

    /** The wire seq of the recorder's first chunk (its first WELCOME's lastSeq + 1), or -1 before that WELCOME. */
    long seqBase() {
        return seqBase;
    }

    /** Connection losses seen. */
    long disconnects() {
        return disconnects.get();
    }
}
