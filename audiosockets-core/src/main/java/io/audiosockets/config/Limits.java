package io.audiosockets.config;

/**
 * What one mailman accepts at most, so that a client (careless or hostile) cannot exhaust it.
 * Part of {@link NetworkConfig}. A client that hits a limit gets {@code ERROR LIMIT_REACHED}
 * naming the limit and its key, is disconnected, and retries later; everyone else carries on.
 *
 * @param maxConnections {@code MAX_CONNECTIONS}: open connections, handshaken or not
 * @param maxStreams {@code MAX_STREAMS}: streams the mailman keeps a log for
 * @param maxProcessors {@code MAX_PROCESSORS}: processors registered at once
 * @param maxUnackedBytes {@code MAX_UNACKED_BYTES}: audio bytes the mailman may have sent a processor connection
 *                        and not had acknowledged, all its streams together; beyond it the connection waits (on
 *                        top of the per-stream window in chunks), so large chunks cannot pile up in its buffers
 * @param retentionMaxBytes {@code RETENTION_MAX_BYTES}: what the mailman may hold of all its streams together (chunks
 *                          and records it keeps for its processors); when full it lets go of the audio that arrived
 *                          first, whatever its stream, and processors that still needed it get the exact gap. 0 means
 *                          half of what the JVM may allocate outside its heap ({@code -XX:MaxDirectMemorySize}, by
 *                          default as much as {@code -Xmx}), where the mailman keeps the chunks
 */
public record Limits(int maxConnections, int maxStreams, int maxProcessors, long maxUnackedBytes, long retentionMaxBytes) {
    /** Default {@code MAX_CONNECTIONS}: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default {@code MAX_STREAMS}: {@value}. */
    public static final int DEFAULT_MAX_STREAMS = 4_096;
    /** Default {@code MAX_PROCESSORS}: {@value}. */
    public static final int DEFAULT_MAX_PROCESSORS = 4_096;
    /** Default {@code MAX_UNACKED_BYTES}: {@value} (16 MiB). */
    public static final long DEFAULT_MAX_UNACKED_BYTES = 16L * 1024 * 1024;
    /** Default {@code RETENTION_MAX_BYTES}: 0, which means half of the JVM's direct memory. */
    public static final long DEFAULT_RETENTION_MAX_BYTES = 0;
    /** The defaults. */
    public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_STREAMS, DEFAULT_MAX_PROCESSORS,
            DEFAULT_MAX_UNACKED_BYTES, DEFAULT_RETENTION_MAX_BYTES);

    /** Validates the fields. */
    public Limits {
        check(maxConnections >= 1, "MAX_CONNECTIONS", maxConnections);
        check(maxStreams >= 1, "MAX_STREAMS", maxStreams);
        check(maxProcessors >= 1, "MAX_PROCESSORS", maxProcessors);
        check(maxUnackedBytes >= 1, "MAX_UNACKED_BYTES", maxUnackedBytes);
        if (retentionMaxBytes < 0) {
            throw new ConfigException("key 'RETENTION_MAX_BYTES': " + retentionMaxBytes + " (expected: >= 0; 0 for half the "
                    + "JVM's direct memory)");
        }
    }

    private static void check(boolean ok, String key, long value) {
        if (!ok) {
            throw new ConfigException("key '" + key + "': " + value + " (expected: >= 1)");
        }
    }

    /** A copy with {@code MAX_CONNECTIONS} = {@code n}. */
    public Limits withMaxConnections(int n) {
        return new Limits(n, maxStreams, maxProcessors, maxUnackedBytes, retentionMaxBytes);
    }

    /** A copy with {@code MAX_STREAMS} = {@code n}. */
    public Limits withMaxStreams(int n) {
        return new Limits(maxConnections, n, maxProcessors, maxUnackedBytes, retentionMaxBytes);
    }

    /** A copy with {@code MAX_PROCESSORS} = {@code n}. */
    public Limits withMaxProcessors(int n) {
        return new Limits(maxConnections, maxStreams, n, maxUnackedBytes, retentionMaxBytes);
    }

    /** A copy with {@code MAX_UNACKED_BYTES} = {@code n}. */
    public Limits withMaxUnackedBytes(long n) {
        return new Limits(maxConnections, maxStreams, maxProcessors, n, retentionMaxBytes);
    }

    /** A copy with {@code RETENTION_MAX_BYTES} = {@code n} (0: automatic). */
    public Limits withRetentionMaxBytes(long n) {
        return new Limits(maxConnections, maxStreams, maxProcessors, maxUnackedBytes, n);
    }
}
