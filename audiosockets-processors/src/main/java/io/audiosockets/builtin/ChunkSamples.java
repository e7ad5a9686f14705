package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import java.nio.ByteBuffer;

/**
 * Decodes a chunk's sample bytes straight into caller-owned float arrays, for the dsp classes
 * (which take samples, not chunks). {@link AudioChunk#samples()} allocates a new array per call;
 * the built-ins run once per chunk for the life of a stream, so they decode into buffers they keep.
 */
final class ChunkSamples {
    private ChunkSamples() {
    }

    /** Sample {@code index} (interleaved position) of {@code data}, normalised as {@link io.audiosockets.audio.Samples} does. */
    static float sample(ByteBuffer data, SampleFormat format, int index) {
        return format == SampleFormat.PCM_S16LE ? data.getShort(index << 1) / 32768f : data.getFloat(index << 2);
    }

    /**
     * Writes the chunk's interleaved samples ({@code frames * channels} of them) into {@code dst},
     * growing it when too small, and returns the array holding them.
     */
    static float[] interleaved(AudioChunk chunk, float[] dst) {
        int n = chunk.frames() * chunk.channels();
        float[] out = fit(dst, n);
        ByteBuffer data = chunk.asByteBuffer();
        SampleFormat format = chunk.format();
        for (int i = 0; i < n; i++) {
            out[i] = sample(data, format, i);
        }
        return out;
    }

    /**
     * Writes the chunk's mono mix (the mean of its channels; a mono chunk's samples as they are)
     * into {@code dst}, growing it when too small, and returns the array holding them.
     */
    static float[] mono(AudioChunk chunk, float[] dst) {
        int frames = chunk.frames();
        float[] out = fit(dst, frames);
        ByteBuffer data = chunk.asByteBuffer();
        SampleFormat format = chunk.format();
        int channels = chunk.channels();
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                out[i] = sample(data, format, i);
            }
            return out;
        }
        for (int i = 0, at = 0; i < frames; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++, at++) {
                sum += sample(data, format, at);
            }
            out[i] = (float) (sum / channels);
        }
        return out;
    }

    private static float[] fit(float[] dst, int n) {
        return dst != null && dst.length >= n ? dst : new float[Math.max(n, dst == null ? 0 : dst.length * 2)];
    }
}
