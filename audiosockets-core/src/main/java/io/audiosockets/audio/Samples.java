package io.audiosockets.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Conversions between sample bytes in a {@link SampleFormat} and normalised floats.
 *
 * <p>16-bit PCM maps to floats by dividing by 32768 (so -32768 is exactly -1.0); floats map back
 * by multiplying by 32767 after clipping to [-1, 1] and rounding to the nearest integer, which makes
 * {@code encode(decode(x)) == x} for every 16-bit value but -32768 (which comes back as -32767).
 */
public final class Samples {
    private Samples() {
    }

    /** Decodes every sample of {@code data} to a new float array. */
    public static float[] decode(byte[] data, SampleFormat format) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (format == SampleFormat.FLOAT32LE) {
            FloatBuffer fb = b.asFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
        ShortBuffer sb = b.asShortBuffer();
        float[] out = new float[sb.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sb.get(i) / 32768f;
        }
        return out;
    }

    /** Decodes one channel of interleaved {@code data} to a new float array. */
    public static float[] decodeChannel(byte[] data, SampleFormat format, int channels, int channel) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int bps = format.bytesPerSample();
        int frames = data.length / (channels * bps);
        float[] out = new float[frames];
        int at = channel * bps;
        int stride = channels * bps;
        for (int i = 0; i < frames; i++, at += stride) {
            out[i] = format == SampleFormat.PCM_S16LE ? b.getShort(at) / 32768f : b.getFloat(at);
        }
        return out;
    }

    /** Encodes normalised floats to a new byte array in {@code format}. */
    public static byte[] encode(float[] samples, SampleFormat format) {
        byte[] out = new byte[samples.length * format.bytesPerSample()];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        if (format == SampleFormat.FLOAT32LE) {
            b.asFloatBuffer().put(samples);
        } else {
            ShortBuffer sb = b.asShortBuffer();
            for (float s : samples) {
                sb.put(toPcm16(s));
            }
        }
        return out;
    }

    /**
     * One float sample as a 16-bit PCM value, clipped to full scale. The scale is 32768, the
     * inverse of decoding, so every 16-bit value survives a decode/encode round trip unchanged.
     *
     * @param s a sample, nominally in [-1, 1)
     * @return the nearest 16-bit value, clipped to [-32768, 32767]
     */
    public static short toPcm16(float s) {
        long scaled = Math.round((double) s * 32768.0);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, scaled));
    }
}
