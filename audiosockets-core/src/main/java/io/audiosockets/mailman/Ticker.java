package io.audiosockets.mailman;

/**
 * Where a {@link Mailman} reads the time for its decisions: when a stream whose recorder left has
 * been quiet for {@code RETENTION_SECONDS} and is forgotten, and which chunks came in recently
 * enough for a processor that joins ({@code RESUME}, 2 x {@code RECONNECT_SECONDS} back).
 * Monotonic nanoseconds, as {@link System#nanoTime()}: only differences mean anything.
 *
 * <p>A mailman reads {@link #system()} unless given another; tests give it a ticker they advance
 * by hand (the testkit's {@code VirtualTicker}) so that retention runs in virtual time instead
 * of being slept through. The ACK a version-3 recorder's chunks may wait for ({@code ACK_DELAY_MILLIS})
 * is due by the ticker too: a test that holds its ticker still holds those ACKs back (up to half
 * the recorder's window), and advances it to let them go. Timers that belong to the connection
 * itself (heartbeats, the handshake timeout, a replay's timeout) and the pace of the network run on
 * real time whatever the ticker.
 *
 * <p>Implementations must be thread-safe: every event loop of the mailman reads it.
 */
@FunctionalInterface
public interface Ticker {
    /** Now, in nanoseconds from an arbitrary origin; never goes backwards. */
    long nanoTime();

    /** The system's monotonic clock, {@link System#nanoTime()}: what a mailman reads by default. */
    static Ticker system() {
        return System::nanoTime;
    }
}

