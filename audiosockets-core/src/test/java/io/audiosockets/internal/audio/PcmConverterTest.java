package io.audiosockets.internal.audio;

import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.Samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import org.junit.jupiter.api.Test;

/**
 * {@link PcmConverter}: every PCM layout javax.sound delivers becomes one of our wire formats,
 * 16-bit bit-exactly, the rest as float32 within one step of the source resolution.
 */
class PcmConverterTest {
    private static final Encoding SIGNED = Encoding.PCM_SIGNED;
    private static final Encoding UNSIGNED = Encoding.PCM_UNSIGNED;
    private static final Encoding FLOAT = Encoding.PCM_FLOAT;

    private static AudioFormat format(Encoding enc, int bits, int channels, boolean bigEndian) {
        return new AudioFormat(enc, 16_000f, bits, channels, channels * bits / 8, 16_000f, bigEndian);
    }

    /** {@code values} as {@code bytes}-byte integers in the given order. */
    private static byte[] ints(long[] values, int bytes, boolean bigEndian) {
        byte[] out = new byte[values.length * bytes];
        for (int i = 0; i < values.length; i++) {
            for (int b = 0; b < bytes; b++) {
                int shift = 8 * (bigEndian ? bytes - 1 - b : b);
                out[i * bytes + b] = (byte) (values[i] >> shift);
            }
        }
        return out;
    }

    private static float[] convertToFloats(PcmConverter c, byte[] in, int frames) {
        byte[] out = new byte[frames * c.outputFrameBytes()];
        c.convert(in, 0, out, 0, frames);
        return Samples.decode(out, c.target());
    }

    /** Asserts each output is within one step of a signed {@code bits}-bit source ({@code 2^-(bits-1)}) of {@code v / 2^(bits-1)}. */
    private static void assertWithinOneLsb(float[] out, long[] signedValues, int bits, String what) {
        double full = Math.pow(2, bits - 1);
        double lsb = 1 / full;
        assertThat(out).hasSameSizeAs(signedValues);
        for (int i = 0; i < out.length; i++) {
            double expected = signedValues[i] / full;
            double tolerance = Math.max(lsb, Math.ulp((float) expected));
            assertThat(Math.abs(out[i] - expected)).as("%s: sample %d (%d) gave %s, expected %s", what, i, signedValues[i], out[i], expected)
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    @Test
    void eightBitUnsigned() {
        long[] raw = new long[256];
        long[] signed = new long[256];
        for (int i = 0; i < 256; i++) {
            raw[i] = i;
            signed[i] = i - 128;
        }
        PcmConverter c = PcmConverter.forFormat(format(UNSIGNED, 8, 1, false));
        assertThat(c.target()).isEqualTo(SampleFormat.FLOAT32LE);
        float[] out = convertToFloats(c, ints(raw, 1, false), 256);
        assertWithinOneLsb(out, signed, 8, "8-bit unsigned");
        assertThat(out[0]).as("0x00 is -1").isEqualTo(-1f);
        assertThat(out[128]).as("0x80 is silence").isEqualTo(0f);
        assertThat(out[255]).isEqualTo(127f / 128);
    }

    @Test
    void eightBitSigned() {
        long[] v = new long[256];
        for (int i = 0; i < 256; i++) {
            v[i] = i - 128;
        }
        PcmConverter c = PcmConverter.forFormat(format(SIGNED, 8, 1, false));
        assertWithinOneLsb(convertToFloats(c, ints(v, 1, false), 256), v, 8, "8-bit signed");
    }

    private static long[] every16BitValue() {
        long[] v = new long[65536];
        for (int i = 0; i < v.length; i++) {
            v[i] = i - 32768;
        }
        return v;
    }

    @Test
    void sixteenBitLittleEndianIsCopiedBitExactly() {
        PcmConverter c = PcmConverter.forFormat(format(SIGNED, 16, 1, false));
        assertThat(c.target()).isEqualTo(SampleFormat.PCM_S16LE);
        assertThat(c.isIdentity()).isTrue();
        byte[] in = ints(every16BitValue(), 2, false);
        byte[] out = new byte[in.length];
        c.convert(in, 0, out, 0, 65536);
        assertThat(out).isEqualTo(in);
    }

    @Test
    void sixteenBitBigEndianBecomesTheSameS16le() {
        PcmConverter c = PcmConverter.forFormat(format(SIGNED, 16, 1, true));
        assertThat(c.target()).isEqualTo(SampleFormat.PCM_S16LE);
        assertThat(c.isIdentity()).isFalse();
        byte[] out = new byte[65536 * 2];
        c.convert(ints(every16BitValue(), 2, true), 0, out, 0, 65536);
        assertThat(out).as("big-endian input, little-endian output, same values").isEqualTo(ints(every16BitValue(), 2, false));
    }

    @Test
    void sixteenBitUnsignedIsShiftedToSigned() {
        long[] raw = new long[65536];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = i;
        }
        for (boolean bigEndian : new boolean[] {false, true}) {
            PcmConverter c = PcmConverter.forFormat(format(UNSIGNED, 16, 1, bigEndian));
            assertThat(c.isIdentity()).isFalse();
            byte[] out = new byte[65536 * 2];
            c.convert(ints(raw, 2, bigEndian), 0, out, 0, 65536);
            assertThat(out).as("unsigned 16-bit, big-endian %s", bigEndian).isEqualTo(ints(every16BitValue(), 2, false));
        }
    }

    private static long[] samplesOf(int bits, int randomCount, long seed) {
        long min = -(1L << (bits - 1));
        long max = (1L << (bits - 1)) - 1;
        long[] edges = {min, min + 1, -256, -1, 0, 1, 255, 0x12345 % max, max - 1, max};
        long[] v = new long[edges.length + randomCount];
        System.arraycopy(edges, 0, v, 0, edges.length);
        Random r = new Random(seed);
        for (int i = edges.length; i < v.length; i++) {
            v[i] = min + (long) (r.nextDouble() * (max - min + 1));
        }
        return v;
    }

    @Test
    void twentyFourBitBothByteOrders() {
        long[] v = samplesOf(24, 20_000, 24);
        for (boolean bigEndian : new boolean[] {false, true}) {
            PcmConverter c = PcmConverter.forFormat(format(SIGNED, 24, 1, bigEndian));
            assertThat(c.target()).isEqualTo(SampleFormat.FLOAT32LE);
            assertThat(c.inputFrameBytes()).isEqualTo(3);
            float[] out = convertToFloats(c, ints(v, 3, bigEndian), v.length);
            assertWithinOneLsb(out, v, 24, "24-bit " + (bigEndian ? "BE" : "LE"));
            assertThat(out[0]).as("most negative 24-bit value").isEqualTo(-1f);
        }
    }

    @Test
    void thirtyTwoBitIntegerBothByteOrders() {
        long[] v = samplesOf(32, 20_000, 32);
        for (boolean bigEndian : new boolean[] {false, true}) {
            PcmConverter c = PcmConverter.forFormat(format(SIGNED, 32, 1, bigEndian));
            assertThat(c.target()).isEqualTo(SampleFormat.FLOAT32LE);
            float[] out = convertToFloats(c, ints(v, 4, bigEndian), v.length);
            assertWithinOneLsb(out, v, 32, "32-bit " + (bigEndian ? "BE" : "LE"));
            assertThat(out[0]).isEqualTo(-1f);
        }
    }

    @Test
    void float32BothByteOrdersIsBitExact() {
        Random r = new Random(3);
        float[] values = new float[5_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (r.nextGaussian() * 0.5);
        }
        values[0] = -1f;
        values[1] = 1f;
        values[2] = 0f;
        values[3] = 1.5f; // beyond full scale: kept, not clipped
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer in = ByteBuffer.allocate(values.length * 4).order(order);
            for (float f : values) {
                in.putFloat(f);
            }
            PcmConverter c = PcmConverter.forFormat(format(FLOAT, 32, 1, order == ByteOrder.BIG_ENDIAN));
            assertThat(c.target()).isEqualTo(SampleFormat.FLOAT32LE);
            float[] out = convertToFloats(c, in.array(), values.length);
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToRawIntBits(out[i])).as("float32 %s sample %d (%s)", order, i, values[i])
                        .isEqualTo(Float.floatToRawIntBits(values[i]));
            }
        }
    }

    @Test
    void float64BothByteOrdersIsRoundedToFloat() {
        Random r = new Random(64);
        double[] values = new double[5_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextDouble() * 2 - 1;
        }
        values[0] = -1;
        values[1] = 1;
        values[2] = 0;
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer in = ByteBuffer.allocate(values.length * 8).order(order);
            for (double d : values) {
                in.putDouble(d);
            }
            PcmConverter c = PcmConverter.forFormat(format(FLOAT, 64, 1, order == ByteOrder.BIG_ENDIAN));
            assertThat(c.inputFrameBytes()).isEqualTo(8);
            assertThat(c.outputFrameBytes()).isEqualTo(4);
            float[] out = convertToFloats(c, in.array(), values.length);
            for (int i = 0; i < values.length; i++) {
                assertThat(out[i]).as("float64 %s sample %d (%s)", order, i, values[i]).isEqualTo((float) values[i]);
            }
        }
    }

    @Test
    void stereoWithOffsetsConvertsOnlyTheRequestedFrames() {
        // 24-bit stereo big-endian, 3 frames after a 5-byte prefix, written after a 7-byte prefix.
        long[] v = {100_000, -100_000, 8_388_607, -8_388_608, 0, 1};
        byte[] in = new byte[5 + v.length * 3 + 4];
        System.arraycopy(ints(v, 3, true), 0, in, 5, v.length * 3);
        PcmConverter c = PcmConverter.forFormat(format(SIGNED, 24, 2, true));
        assertThat(c.inputFrameBytes()).isEqualTo(6);
        assertThat(c.outputFrameBytes()).isEqualTo(8);
        byte[] out = new byte[7 + 3 * 8 + 5];
        java.util.Arrays.fill(out, (byte) 0x5A);
        c.convert(in, 5, out, 7, 3);
        for (int i = 0; i < 7; i++) {
            assertThat(out[i]).as("byte %d before the output offset is untouched", i).isEqualTo((byte) 0x5A);
        }
        for (int i = 7 + 24; i < out.length; i++) {
            assertThat(out[i]).as("byte %d after the converted frames is untouched", i).isEqualTo((byte) 0x5A);
        }
        float[] got = Samples.decode(java.util.Arrays.copyOfRange(out, 7, 7 + 24), SampleFormat.FLOAT32LE);
        assertWithinOneLsb(got, v, 24, "stereo 24-bit with offsets");
    }

    @Test
    void sixteenBitStereoWithOffsets() {
        long[] v = {1, -1, 32767, -32768};
        byte[] in = new byte[3 + 8];
        System.arraycopy(ints(v, 2, true), 0, in, 3, 8);
        PcmConverter c = PcmConverter.forFormat(format(SIGNED, 16, 2, true));
        byte[] out = new byte[2 + 8];
        c.convert(in, 3, out, 2, 2);
        assertThat(java.util.Arrays.copyOfRange(out, 2, 10)).isEqualTo(ints(v, 2, false));
    }

    @Test
    void unsupportedFormatsAreRefusedByName() {
        assertThatThrownBy(() -> PcmConverter.forFormat(format(Encoding.ULAW, 8, 1, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ULAW").hasMessageContaining("PCM_SIGNED");
        assertThatThrownBy(() -> PcmConverter.forFormat(format(SIGNED, 12, 1, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bit").hasMessageContaining("8/16/24/32");
        assertThatThrownBy(() -> PcmConverter.forFormat(format(FLOAT, 16, 1, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> PcmConverter.forFormat(format(FLOAT, 24, 1, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> PcmConverter.forFormat(
                new AudioFormat(SIGNED, 16_000f, 16, -1, -1, 16_000f, false)))
                .as("unknown channel count").isInstanceOf(IllegalArgumentException.class);
    }
}
