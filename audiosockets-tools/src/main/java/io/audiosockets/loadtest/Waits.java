package io.audiosockets.loadtest;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The two ways a workload waits: until a planned instant (a measured interval), or until a condition holds. */
final class Waits {
    private Waits() {
    }

    /** Sleeps until {@link System#nanoTime()} reaches {@code deadline}: the end of a measured interval. */
    static void until(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, 100_000_000L));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted during a benchmark");
            }
        }
    }

    /**
     * Polls {@code condition} every millisecond until it holds.
     *
     * @throws TimeoutException naming {@code what} if it still does not hold after {@code timeout}
     */
    static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(what + ": not within " + timeout.toMillis() / 1000.0 + " s");
            }
            Thread.sleep(1);
            // polling, not synchronisation: the counters are the benchmark's own and have no events
        }
    }
}
