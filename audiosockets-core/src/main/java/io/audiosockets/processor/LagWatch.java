package io.audiosockets.processor;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Tells the processor's own log when it falls behind a stream: a chunk handed to user code more
 * than {@code LAG_WARN_SECONDS} after it was captured is reported, at most every 30 s per stream
 * while it stays behind, and once when it has caught up again (under half the threshold). The
 * mailman reports the same from its side. Lag is the wall clock now minus the chunk's capture time,
 * so it also counts what waited at the mailman, and it assumes the recorder's and this machine's
 * clocks agree (NTP). Owned by the processor's thread.
 */
final class LagWatch {
    /** How often a stream that stays behind is reported again. */
    static final long REPORT_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();
    private final Logger log;
    private final String label;
    private final long warnNanos;
    private final LongSupplier epochNanos;
    private final LongSupplier monotonic;
    /** Per stream: when it was last reported behind (monotonic), absent while it is not behind. */
    private final Map<String, Long> reported = new HashMap<>();

    LagWatch(Logger log, String label, Duration warn, LongSupplier epochNanos, LongSupplier monotonic) {
        this.log = log;
        this.label = label;
        this.warnNanos = warn.toNanos();
        this.epochNanos = epochNanos;
        this.monotonic = monotonic;
    }

    /** A chunk of {@code stream} captured at {@code captureTimeNanos} (since the epoch) is about to be processed. */
    void observe(String stream, long captureTimeNanos) {
        if (warnNanos <= 0) {
            return;
        }
        long lag = epochNanos.getAsLong() - captureTimeNanos;
        Long last = reported.get(stream);
        if (lag > warnNanos) {
            long now = monotonic.getAsLong();
            if (last == null || now - last >= REPORT_INTERVAL_NANOS) {
                reported.put(stream, now);
                log.warn("{}: {} s behind stream '{}' (this chunk was captured that long ago): processData is slower than the "
                                + "stream comes. Make it faster, subscribe this processor to fewer streams, or run more processors "
                                + "under other names; beyond the mailman's RETENTION_SECONDS it gets gaps", label,
                        String.format(Locale.ROOT, "%.1f", lag / 1e9), stream);
            }
        } else if (last != null && lag <= warnNanos / 2) {
            reported.remove(stream);
            log.info("{}: caught up with stream '{}' ({} s behind now)", label, stream, String.format(Locale.ROOT, "%.1f", lag / 1e9));
        }
    }
}
