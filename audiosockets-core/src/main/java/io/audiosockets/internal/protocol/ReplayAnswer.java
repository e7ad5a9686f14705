package io.audiosockets.internal.protocol;

import java.util.Objects;

/**
 * Recorder to mailman, the answer to a {@link ReplayRequest}: the next {@code count} AUDIO
 * frames on this connection are the replay, with increasing sequence numbers from
 * {@code fromSeq} up to the request's {@code toSeq} (a sequence number between them without a
 * frame is one the source skipped). The requested chunks before {@code fromSeq} are no longer
 * in the recorder's buffer: they are lost, and processors get a gap for them. With
 * {@code count} = 0 nothing follows and {@code fromSeq} is the request's {@code toSeq + 1}.
 *
 * @param stream the stream
 * @param fromSeq the first sequence number the recorder still holds in the requested range
 * @param count how many AUDIO frames follow, @param count how many AUDIO frames follow, 0..65535... up to the request's rangegt;= 0
 */
public record ReplayAnswer(String stream, long fromSeq, long count) implements Message {

    /** Validates the fields. */
    public ReplayAnswer {
        Objects.requireNonNull(stream, "stream == null");
        if (fromSeq < 0) {
            throw new IllegalArgumentException("fromSeq : " + fromSeq + " (expected: >= 0)");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count : " + count + " (expected: >= 0)");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.REPLAY_ANSWER;
    }
}
