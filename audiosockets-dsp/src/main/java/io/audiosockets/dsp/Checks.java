package io.audiosockets.dsp;

/** Argument checks that name the field, its value and what was expected. */
final class Checks {
    private Checks() {
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: > 0)");
        }
        return value;
    }

    static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: > 0)");
        }
        return value;
    }

    static double positiveFinite(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: > 0 and finite)");
        }
        return value;
    }

    static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: >= 0)");
        }
        return value;
    }

    /** Checks that {@code length} interleaved samples are whole frames of {@code channels} (&gt; 0). */
    static void frames(String name, int length, int channels) {
        positive("channels", channels);
        if (length % channels != 0) {
            throw new IllegalArgumentException(name + ".length : " + length
                    + " (expected: a multiple of channels = " + channels + ")");
        }
    }

    static void range(String name, int off, int len, int arrayLength) {
        if (off < 0 || len < 0 || off > arrayLength - len) {
            throw new IndexOutOfBoundsException(name + " : offset " + off + ", length " + len
                    + " (expected: within an array of " + arrayLength + ")");
        }
    }
}
