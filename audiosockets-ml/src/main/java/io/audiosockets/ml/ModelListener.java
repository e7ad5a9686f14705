package io.audiosockets.ml;

/**
 * Receives what a model processor computes, on the processor's thread, in order per stream. This
 * is where results leave the model: printed, kept, or (later) published as a stream of their own.
 */
public interface ModelListener {
    /** One window's outputs. */
    void onOutput(ModelOutput output);

    /** Audio dropped under {@link OverloadPolicy#SKIP}, reported once processing resumes (or at a gap or stop). */
    default void onSkipped(Skipped skipped) {
    }

    /** The model restarted on {@code stream} (a gap, a skip or a change of format): what follows is a new segment. */
    default void onRestart(String stream) {
    }
}
