package io.audiosockets.testkit;

/**
 * The known signal the test capture device delivers: a full-range pseudo-random value for every
 * frame and channel, a pure function of the frame's index in the device's timeline. A test can so
 * tell from a sample alone which frame it is, and so check both the bits and the timing.
 */
public final class TestSignal {
    private TestSignal() {
    }

    /** The signed integer sample of {@code bits} bits (-2^(bits-1) .. 2^(bits-1)-1) of frame {@code frame}, channel {@code channel}. */
    public static long sample(long frame, int channel, int bits) {
        return mix(frame * 16 + channel) >> (64 - bits);
    }

    /** The float sample of a 32-bit float line: 24 random bits, so exactly a float, in [-1, 1). */
    public static float floatSample(long frame, int channel) {
        return (float) (sample(frame, channel, 24) / (double) (1 << 23));
    }

    /** What the sample of a line of {@code bits} bits reads as after conversion to float: value / 2^(bits-1). */
    public static double expectedFloat(long frame, int channel, int bits, boolean floating) {
        return floating ? floatSample(frame, channel) : sample(frame, channel, bits) / (double) (1L << (bits - 1));
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
