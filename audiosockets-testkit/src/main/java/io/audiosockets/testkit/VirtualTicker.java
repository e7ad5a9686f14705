package io.audiosockets.testkit;

import io.audiosockets.mailman.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that stands still until the test advances it: give it to a mailman
 * ({@link MailmanFixture#virtualTime()}, or {@code new Mailman(config, ticker)}) and the retention
 * after a recorder left, or the age of a chunk at RESUME's join point, pass only when the test
 * says so. Then await the consequence (the mailman looks for quiet streams a few times per
 * retention, in real time), never sleep.
 *
 * <p>Thread-safe.
 */
public final class VirtualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    /** A ticker at 0 ns; only differences mean anything, as with {@link System#nanoTime()}. */
    public VirtualTicker() {
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /**
     * Moves the time forward by {@code by}.
     *
     * @throws IllegalArgumentException if {@code by} is negative: a ticker never goes backwards
     */
    public void advance(Duration by) {
        Objects.requireNonNull(by, "by == null");
        if (by.isNegative()) {
            throw new IllegalArgumentException("a ticker never goes backwards: cannot advance by " + by);
        }
        nanos.addAndGet(by.toNanos());
    }
}
