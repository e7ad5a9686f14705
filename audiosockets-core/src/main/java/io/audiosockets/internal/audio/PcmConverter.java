package io.audiosockets.internal.audio;

import io.audiosockets.audio.SampleFormat;
import javax.sound.sampled.AudioFormat;

/**
 * Converts the PCM a {@code javax.sound} stream or line delivers (signed or unsigned integers of
 * 8, 16, 24 or 32 bits, or floats of 32 or 64 bits, either byte order) into one of our wire
 * formats: 16-bit sources become {@link SampleFormat#PCM_S16LE} bit-exactly, everything else
 * becomes {@link SampleFormat#FLOAT32LE} (integers scaled by 2^(bits-1), so full scale is 1.0).
 *
 * <p>Immutable and thread-safe.
 */
public final class PcmConverter {
    private final int inBytes;
    private final boolean bigEndian;
    private final boolean signed;
    private final boolean floating;
    private final int channels;
    private final SampleFormat target;

    private PcmConverter(int inBytes, boolean bigEndian, boolean signed, boolean floating, int channels, SampleFormat target) {
        this.inBytes = inBytes;
        this.bigEndian = bigEndian;
        this.signed = signed;
        this.floating = floating;
        this.channels = channels;
        this.target = target;
    }

    /**
     * A converter for {@code format}.
     *
     * @throws IllegalArgumentException if the encoding or sample size is not PCM we can read
     */
    public static PcmConverter forFormat(AudioFormat format) {
        AudioFormat.Encoding enc = format.getEncoding();
        int bits = format.getSampleSizeInBits();
        boolean floating = AudioFormat.Encoding.PCM_FLOAT.equals(enc);
        boolean signed = AudioFormat.Encoding.PCM_SIGNED.equals(enc);
        boolean unsigned = AudioFormat.Encoding.PCM_UNSIGNED.equals(enc);
        if (!(floating || signed || unsigned)) {
            throw new IllegalArgumentException("audio encoding " + enc + " is not supported (expected PCM_SIGNED, PCM_UNSIGNED or PCM_FLOAT)");
        }
        boolean sizeOk = floating ? bits == 32 || bits == 64 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
        if (!sizeOk || format.getChannels() <= 0) {
            throw new IllegalArgumentException("audio format " + format + " is not supported (expected 8/16/24/32-bit integer or 32/64-bit float PCM)");
        }
        SampleFormat target = bits == 16 && !floating ? SampleFormat.PCM_S16LE : SampleFormat.FLOAT32LE;
        return new PcmConverter(bits / 8, format.isBigEndian(), signed || floating, floating, format.getChannels(), target);
    }

    /** The wire format the converter produces. */
    public SampleFormat target() {
        return target;
    }

    /** Bytes of one input frame. */
    public int inputFrameBytes() {
        return inBytes * channels;
    }

    /** Bytes of one output frame. */
    public int outputFrameBytes() {
        return target.bytesPerSample() * channels;
    }

    /** True if input and output bytes are identical (16-bit little-endian signed). */
    public boolean isIdentity() {
        return target == SampleFormat.PCM_S16LE && signed && !bigEndian;
    }

    /** Converts {@code frames} frames from {@code in} at {@code inOff} into {@code out} at {@code outOff}. */
    public void convert(byte[] in, int inOff, byte[] out, int outOff, int frames) {
        int samples = frames * channels;
        if (isIdentity()) {
            System.arraycopy(in, inOff, out, outOff, samples * 2);
            return;
        }
        for (int i = 0; i < samples; i++) {
            int at = inOff + i * inBytes;
            if (target == SampleFormat.PCM_S16LE) {
                int v = (int) readInt(in, at, 2);
                if (!signed) {
                    v -= 0x8000;
                }
                out[outOff + 2 * i] = (byte) v;
                out[outOff + 2 * i + 1] = (byte) (v >> 8);
            } else {
                float f = floating ? readFloat(in, at) : integerSample(in, at);
                int bits = Float.floatToRawIntBits(f);
                int o = outOff + 4 * i;
                out[o] = (byte) bits;
                out[o + 1] = (byte) (bits >> 8);
                out[o + 2] = (byte) (bits >> 16);
                out[o + 3] = (byte) (bits >> 24);
            }
        }
    }

    private float integerSample(byte[] in, int at) {
        long raw = readInt(in, at, inBytes);
        long full = 1L << (inBytes * 8 - 1);
        long v = signed ? raw : raw - full;
        return (float) ((double) v / full);
    }

    private float readFloat(byte[] in, int at) {
        long raw = readInt(in, at, inBytes);
        return inBytes == 4 ? Float.intBitsToFloat((int) raw) : (float) Double.longBitsToDouble(raw);
    }

    /** Reads an n-byte integer; sign-extended when the format is signed (or floating: raw bits are masked by the caller). */
    private long readInt(byte[] in, int at, int n) {
        long v = 0;
        for (int b = 0; b < n; b++) {
            int idx = bigEndian ? at + b : at + n - 1 - b;
            v = (v << 8) | (in[idx] & 0xFF);
        }
        if (signed && !floating && n < 8) {
            int shift = 64 - 8 * n;
            v = (v << shift) >> shift;
        }
        return v;
    }
}
