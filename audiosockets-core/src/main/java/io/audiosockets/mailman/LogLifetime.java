package io.audiosockets.mailman;

/**
 * The end of a {@link StreamLog}'s life: whether it has {@linkplain #markEnded() ended}, and
 * when anything last happened in it (a chunk in, one read, its recorder leaving), from which the
 * registry decides that a stream whose recorder has gone has been {@linkplain #quietNanos quiet}
 * for the retention and ends it. A processor still catching up counts as activity, so it keeps
 * the tail of a stream it has not read yet.
 *
 * <p>Confined under its {@link StreamLog}'s lock, like every part of the log, except
 * {@link #ended()}: the flag is written once under the lock and read without it by the pumps
 * that decide whether to drop a cursor.
 */
final class LogLifetime {
    /** Set once, under the log's lock; read without it. */
    private volatile boolean ended;
    /** When something last happened ({@link Ticker#nanoTime()}). */
    private long lastActivityNanos;

    /** A log that has just begun, at {@code nowNanos}. */
    LogLifetime(long nowNanos) {
        this.lastActivityNanos = nowNanos;
    }

    /** Something happened at {@code nowNanos}: the quiet starts over. */
    void active(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    /** How long nothing has happened, at {@code nowNanos}. */
    long quietNanos(long nowNanos) {
        return nowNanos - lastActivityNanos;
    }

    /** Whether the log has ended. Lock-free. */
    boolean ended() {
        return ended;
    }

    /** The log ends; for good. */
    void markEnded() {
        ended = true;
    }
}
