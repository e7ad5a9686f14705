package io.audiosockets.cli;

import java.time.Duration;

/** Durations given on the command line in seconds. */
final class Seconds {
    private Seconds() {
    }

    /**
     * {@code s} seconds as a duration.
     *
     * @param option the flag, named in the error
     * @throws IllegalArgumentException if {@code s} is not a positive, finite number
     */
    static Duration of(String option, double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(option + " " + s + ": expected a positive number of seconds");
        }
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
