package io.audiosockets.ml;

/**
 * What a model processor does when its model is slower than real time, so that it never falls
 * minutes behind in silence. The processor is <em>lagging</em> when a chunk's last sample was
 * captured more than {@link ModelSpec#maxLagNanos()} ago; it logs a warning when it starts lagging
 * and a line when it has caught up.
 */
public enum OverloadPolicy {
    /**
     * Keep every window, and while lagging run up to {@link ModelSpec#maxBatch()} of them at once
     * through the model's batch dimension (one run amortises the per-run overhead). Nothing is
     * lost; results arrive late and in bursts. Only for models without state: a recurrent model's
     * windows depend on each other and cannot share a batch.
     */
    BATCH,
    /**
     * Drop the chunks that arrive lagging, so that processing jumps to the newest audio, and report
     * exactly what was dropped (a {@link Skipped}: streams, sequence numbers, samples and capture
     * times) to the listener and the log when processing resumes. The model restarts after a skip
     * as after a gap: state and framing begin afresh.
     */
    SKIP
}
