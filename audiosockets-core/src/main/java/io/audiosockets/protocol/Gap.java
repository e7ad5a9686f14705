package io.audiosockets.protocol;

import java.util.Objects;

/**
 * The chunks {@code fromSeq..toSeq} (inclusive) of {@code stream} will
 * never be delivered. The next chunk of the stream the processor receives is {@code toSeq + 1}.
 *
 * @param stream the stream
 * @param fromSeq the first missing sequence number
 * @param toSeq the last missing sequence number, &gt;= fromSeq
 * @param reason why
 * @param message a readable explanation for logs
 */
public record Gap(String stream, long fromSeq, long toSeq, GapReason reason, String message) {

    /** Validates the fields. */
    public Gap {
        Objects.requireNonNull(stream, "stream == null");
        Objects.requireNonNull(reason, "reason == null");
        Objects.requireNonNull(message, "message == null");
        if (fromSeq < 0 || toSeq < fromSeq) {
            throw new IllegalArgumentException("gap range : " + fromSeq + ".." + toSeq + " (expected: 0 <= from <= to)");
        }
    }

    /** Number of chunks missing. */
    public long count() {
        return toSeq - fromSeq + 1;
    }
}
