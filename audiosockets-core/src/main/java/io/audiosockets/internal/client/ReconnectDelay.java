package io.audiosockets.internal.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next connection attempt: {@code RECONNECT_SECONDS} on average, each wait
 * drawn uniformly from 80 % to 120 % of it.
 *
 * <p>Why jitter: a mailman that restarts drops every client in the same instant, and clients
 * that all waited exactly one interval would all come back in the same instant too, again and
 * again. Why &plusmn;20 % rather than "full jitter" (uniform from 0 to twice the interval):
 * the mean stays the interval (the paper's 1 Hz, and what the README promises), no wait is
 * shorter than 80 % of it (full jitter would let a client retry almost at once, twice in a
 * row), and the longest is 1.2 intervals, not 2 (a client comes back at most 20 % later than
 * without jitter). The first attempts after a restart are spread over 40 % of an interval, and
 * since every wait draws anew, clients drift further apart with every attempt after that.
 */
final class ReconnectDelay {
    /** Each wait is the interval times a factor uniform in [1 - SPREAD, 1 + SPREAD). */
    static final double SPREAD = 0.2;

    private final long intervalNanos;
    private final DoubleSupplier uniform;

    /**
     * @param interval the mean wait, {@code RECONNECT_SECONDS}
     * @param uniform a source of doubles uniform in [0, 1)
     */
    ReconnectDelay(Duration interval, DoubleSupplier uniform) {
        this.intervalNanos = Objects.requireNonNull(interval, "interval == null").toNanos();
        this.uniform = Objects.requireNonNull(uniform, "uniform == null");
    }

    /** Waits around {@code interval}, drawn from {@link ThreadLocalRandom}. */
    static ReconnectDelay around(Duration interval) {
        return new ReconnectDelay(interval, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The next wait, in nanoseconds. */
    long nextNanos() {
        double factor = 1 - SPREAD + 2 * SPREAD * uniform.getAsDouble();
        return Math.round(intervalNanos * factor);
    }
}
