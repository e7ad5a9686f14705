package io.audiosockets.ml;

/**
 * Audio a model processor dropped under {@link OverloadPolicy#SKIP}: the contiguous chunks
 * {@code firstSeq..lastSeq} of one stream, every sample of them.
 *
 * @param stream the stream's name
 * @param firstSeq the first chunk dropped
 * @param lastSeq the last chunk dropped
 * @param firstSample the first sample dropped, counted over the samples of the stream the model has received
 * @param endSample one past the last sample dropped
 * @param firstCaptureNanos the capture time of the first sample dropped (ns since the Unix epoch)
 * @param endCaptureNanos the capture time just after the last sample dropped
 */
public record Skipped(String stream, long firstSeq, long lastSeq, long firstSample, long endSample,
                      long firstCaptureNanos, long endCaptureNanos) {
    /** Samples dropped. */
    public long samples() {
        return endSample - firstSample;
    }

    /** Chunks dropped. */
    public long chunks() {
        return lastSeq - firstSeq + 1;
    }
}
