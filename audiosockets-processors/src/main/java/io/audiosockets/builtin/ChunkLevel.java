package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.LevelMeter;

/**
 * The level of each chunk of a stream, decoded into a buffer kept from one chunk to the next
 * (the built-ins run once per chunk for the life of a stream). Confined to the processor's thread.
 */
final class ChunkLevel {
    private float[] samples;

    /** The level of {@code chunk}: RMS and peak of each channel and of their mix. */
    LevelMeter.Level of(AudioChunk chunk) {
        samples = ChunkSamples.interleaved(chunk, samples);
        return LevelMeter.measure(samples, 0, chunk.frames() * chunk.channels(), chunk.channels());
    }
}
