package io.audiosockets.ml;

/**
 * What a model processor does when its model is slower than real time, so that it never falls
 * minutes behind in silence. The processor starts <em>lagging</em> when a chunk's last sample was
 * captured more than {@link ModelSpec#maxLagNanos()} ago, and has caught up at a chunk captured
 * within half of that (so that a model slightly too slow acts now and then in large steps rather
 * than every few windows). Each episode is logged.
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
     * Drop the chunks that arrive while lagging, so that processing jumps to the newest audio, and
     * report exactly what was dropped (a {@link Skipped}: stream, sequence numbers, samples and
     * capture times) to the listener and in one warning when processing resumes. The model restarts after a skip
     * as after a gap: state and framing begin afresh.
     */
    SKIP
}
