package io.audiosockets.loadtest;

import io.audiosockets.recorder.ReplayBudget;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.client.IoThreads;

/**
 * A recorder at real-time pace with everything a workload reads from it: its source (chunks
 * handed over, checksum), its pace (each chunk's schedule) and its {@link AckTracker}.
 *
 * @param stream the stream name
 * @param source the source
 * @param tracker acknowledgement latencies and connection losses
 * @param recorder the recorder
 */
record PacedRecorder(String stream, BenchSource source, AckTracker tracker, Recorder recorder) implements AutoCloseable {

    /**
     * A real-time recorder of {@code stream}, not started.
     *
     * @param ackLatencies where acknowledgement latencies go
     * @param handoffLateness where the lateness of each hand-off against its schedule goes, or null
     * @param handOffs where its schedule is registered, the start of its chunks' latencies
     */
    static PacedRecorder create(NetworkConfig config, IoThreads loops, ReplayBudget replay, String stream, int chunkSamples,
                                Latencies ackLatencies, Latencies handoffLateness, HandOffs handOffs) {
        PacedGate gate = new PacedGate(BenchSource.chunkDuration(chunkSamples).toNanos(), handoffLateness);
        BenchSource source = new BenchSource(chunkSamples, gate);
        AckTracker tracker = new AckTracker(gate, ackLatencies, () -> { });
        handOffs.register(stream, gate, tracker);
        return new PacedRecorder(stream, source, tracker, Clients.recorder(config, loops, replay, stream, source, chunkSamples, tracker));
    }

    /** Chunks lost on the recorder's side: dropped from its outbox, or never acknowledged (after {@link #close()}). */
    long lost() {
        return recorder.chunksDropped() + recorder.chunksUnacknowledged();
    }

    /** Stops the source; {@link #close()} then sends what is left and says goodbye. */
    void stop() {
        source.stop();
    }

    @Override
    public void close() {
        source.stop();
        recorder.close();
    }
}
