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
    private final Map<String, PacedGate> gates = new ConcurrentHashMap<>();

    /** Hand-offs read through {@code clock} for streams that have no gate. */
    HandOffs(BenchClock clock) {
        this.clock = clock;
    }

    /** From now on, chunk {@code k} of {@code stream} (its seq, from 0) was due at {@code gate.scheduledNanos(k)}. */
    void register(String stream, PacedGate gate) {
        gates.put(stream, gate);
    }

    /** When {@code chunk} was due, on the {@link System#nanoTime()} scale. */
    long dueNanos(AudioChunk chunk) {
        PacedGate gate = gates.get(chunk.stream());
        return gate != null ? gate.scheduledNanos(chunk.seq()) : clock.toNanoTime(chunk.captureTimeNanos() + chunk.durationNanos());
    }
}
