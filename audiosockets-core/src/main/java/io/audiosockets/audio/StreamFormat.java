package io.audiosockets.audio;

import java.util.Objects;

/**
 * The shape of a source's audio: rate, channels and sample format.
 *
 * @param sampleRate samples per second per channel, &gt; 0
 * @param channels interleaved channels, 1..65535
 * @param sampleFormat how each sample is stored
 */
public record StreamFormat(int sampleRate, int channels, SampleFormat sampleFormat) {

    /** Validates the fields. */
    public StreamFormat {
        Objects.requireNonNull(sampleFormat, "sampleFormat == null");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate : " + sampleRate + " (expected: > 0)");
        }
        if (channels <= 0 || channels > 0xFFFF) {
            throw new IllegalArgumentException("channels : " + channels + " (expected: 1..65535)");
        }
    }

    /** Bytes of one frame (one sample of every channel). */
    public int frameBytes() {
        return channels * sampleFormat.bytesPerSample();
    }

    /** Frames in {@code seconds} of audio, rounded to the nearest frame, at least 1. */
    public int framesIn(double seconds) {
        return (int) Math.max(1, Math.round(seconds * sampleRate));
    }

    @Override
    public String toString() {
        return sampleRate + " Hz, " + channels + " ch, " + sampleFormat;
    }
}
