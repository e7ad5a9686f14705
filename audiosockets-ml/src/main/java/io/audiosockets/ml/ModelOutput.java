package io.audiosockets.ml;

import java.util.Map;

/**
 * What a model computed for one window of one stream.
 *
 * @param stream the stream's name
 * @param window the window's number since the model last started afresh (at the stream's start, after a gap or a skip)
 * @param startSample the stream sample at the time of the window's first new sample (after any context), counted
 *                    over the samples of the stream the model has received
 * @param captureTimeNanos that sample's capture time, ns since the Unix epoch
 * @param outputs each configured output, flattened in row-major order, for this window alone
 */
public record ModelOutput(String stream, long window, long startSample, long captureTimeNanos, Map<String, float[]> outputs) {
    /**
     * The first value of output {@code name}: a model's score, e.g. Silero's speech probability.
     *
     * @throws IllegalArgumentException if the output is not configured
     */
    public float first(String name) {
        float[] v = outputs.get(name);
        if (v == null) {
            throw new IllegalArgumentException("output '" + name + "' : not among the configured outputs " + outputs.keySet());
        }
        return v[0];
    }
}
