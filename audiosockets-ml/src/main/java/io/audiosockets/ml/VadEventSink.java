package io.audiosockets.ml;

import io.audiosockets.dsp.SpeechEvent;

/**
 * Where a voice detector's findings go, on the processor's thread, in order per stream: the speech
 * boundaries, and for a neural detector each window's probability and any audio skipped to keep up.
 * Printing them is one sink; publishing them as a stream of their own on the mailman is another.
 */
@FunctionalInterface
public interface VadEventSink {
    /** A speech boundary. */
    void onSpeechEvent(SpeechEvent event);

    /**
     * A window's speech probability.
     *
     * @param stream the stream
     * @param sample the stream sample at the window's start
     * @param timeNanos its capture time
     * @param probability the model's speech probability, in [0, 1]
     */
    default void onProbability(String stream, long sample, long timeNanos, float probability) {
    }

    /** Audio not analysed because the model fell behind real time (see {@link OverloadPolicy#SKIP}). */
    default void onSkipped(Skipped skipped) {
    }
}
