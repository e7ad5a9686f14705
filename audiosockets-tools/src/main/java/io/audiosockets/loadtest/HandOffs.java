package io.audiosockets.loadtest;

import io.audiosockets.audio.AudioChunk;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each chunk the Java processors of a run receive was handed over on its schedule: the
 * reference of their latencies. A paced stream's chunk {@code k} was due at its {@link PacedGate}'s
 * {@code scheduledNanos(k)}, the same instant the raw relay's latency starts from. Its capture
 * timestamp is not that instant: the recorder counts capture times from when its capture thread
 * started, and the gate from the source's first read a little later, which made every latency of a
 * run too long by the same few milliseconds, a different few in each run (measured: p50 of R = 1,
 * P = 16 bimodal at 2.5 or 9 ms). A stream without a registered gate falls back on its capture
 * timestamp, read through the run's {@link BenchClock}.
 *
 * <p>Thread-safe: recorders register from the workload's thread, processors read from theirs.
 */
final class HandOffs {
    private final BenchClock clock;
    private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();

    /** A paced stream: its gate counts chunks from 0, the wire from the tracker's seq base. */
    private record Schedule(PacedGate gate, AckTracker tracker) {
    }

    /** Hand-offs read through {@code clock} for streams that have no gate. */
    HandOffs(BenchClock clock) {
        this.clock = clock;
    }

    /**
     * From now on, the chunk of {@code stream} with seq {@code s} was due at {@code gate.scheduledNanos(s - b)},
     * {@code b} the recorder's first seq ({@link AckTracker#seqBase()}: 0 for a new stream, more when a stream of that
     * name went on from an earlier case in the same mailman).
     */
    void register(String stream, PacedGate gate, AckTracker tracker) {
        schedules.put(stream, new Schedule(gate, tracker));
    }

    /** When {@code chunk} was due, on the {@link System#nanoTime()} scale. */
    long dueNanos(AudioChunk chunk) {
        Schedule s = schedules.get(chunk.stream());
        long base = s == null ? -1 : s.tracker().seqBase();
        return base >= 0 ? s.gate().scheduledNanos(chunk.seq() - base)
                : clock.toNanoTime(chunk.captureTimeNanos() + chunk.durationNanos());
    }
}
