package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.protocol.Gap;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The shared parts of the built-ins' output lines. */
final class Lines {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Lines() {
    }

    /** {@code stream #seq}: how every line about a chunk starts. */
    static String head(AudioChunk chunk) {
        return String.format(Locale.ROOT, "%-12s #%-6d", chunk.stream(), chunk.seq());
    }

    /** UTC wall-clock time of an epoch-nanosecond instant, to the millisecond. */
    static String clock(long epochNanos) {
        return CLOCK.format(Instant.ofEpochSecond(0, epochNanos));
    }

    /** Milliseconds from the end of the chunk's capture to now: what the chunk's journey cost. */
    static double latencyMillis(AudioChunk chunk) {
        Instant now = Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return (nowNanos - chunk.captureTimeNanos() - chunk.durationNanos()) / 1e6;
    }

    /** The line for a gap: which chunks will never come and why. */
    static String gap(Gap gap) {
        return String.format(Locale.ROOT, "%-12s GAP    chunks %d..%d (%d) will not arrive: %s", gap.stream(), gap.fromSeq(),
                gap.toSeq(), gap.count(), gap.reason());
    }

    /** A level as a bar of {@code width} characters spanning -60..0 dBFS. */
    static String bar(double dbfs, int width) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, (dbfs + 60) / 60)) * width);
        return "|" + "#".repeat(filled) + " ".repeat(width - filled) + "|";
    }
}
