package io.audiosockets.internal.protocol;

import java.util.Objects;

/**
 * Mailman to recorder: send again the chunks {@code fromSeq..toSeq} (inclusive) of
 * {@code stream} that you still hold. The mailman asks when a processor resumes at a position
 * older than anything it holds for the stream, which happens after the mailman restarted (it
 * keeps nothing across a restart, the recorder's buffer does). The recorder answers with a
 * {@link ReplayAnswer} and the chunks it announces.
 *
 * @param stream the stream
 * @param fromSeq the first sequence number wanted
 * @param toSeq the last sequence number wanted, &gt;= fromSeq
 */
public record ReplayRequest(String stream, long fromSeq, long toSeq) implements Message {

    /** Validates the fields. */
    public ReplayRequest {
        Objects.requireNonNull(stream, "stream == null");
        if (fromSeq < 0 || toSeq < fromSeq) {
            throw new IllegalArgumentException("replay range : " + fromSeq + ".." + toSeq + " (expected: 0 <= from <= to)");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.REPLAY;
    }
}
