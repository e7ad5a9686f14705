package io.audiosockets.loadtest;

import java.util.zip.CRC32C;

/**
 * The fan-out check: every chunk's bytes are summed up as {@code crc32c(bytes) ^ (seq * golden)},
 * added over all chunks (mod 2^64). The sum does not depend on order (order is checked
 * separately, by sequence number), and a chunk missing, duplicated or with one bit changed makes
 * the sender's and a receiver's sums differ.
 *
 * <p>Not thread-safe: one per thread (the CRC engine is reused).
 */
final class Checksums {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final CRC32C crc = new CRC32C();
    private long sum;
    private long count;

    /** Adds chunk {@code seq} with these bytes. */
    void add(long seq, byte[] data, int offset, int length) {
        crc.reset();
        crc.update(data, offset, length);
        sum += crc.getValue() ^ (seq * GOLDEN);
        count++;
    }

    /** The sum so far. */
    long sum() {
        return sum;
    }

    /** Chunks added so far. */
    long count() {
        return count;
    }
}
