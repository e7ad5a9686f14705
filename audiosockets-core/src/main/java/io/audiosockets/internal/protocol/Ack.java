package io.audiosockets.internal.protocol;

import java.util.Objects;

/**
 * A cumulative acknowledgement: every chunk of {@code stream} up to and including {@code seq}.
 * Mailman to recorder, the mailman holds them; processor to mailman, the processor has processed them.
 *
 * @param stream the stream
 * @param seq the highest sequence number acknowledged
 */
public record Ack(String stream, long seq) implements Message {

    /** Validates the fields. */
    public Ack {
        Objects.requireNonNull(stream, "stream == null");
        if (seq < 0) {
            throw new IllegalArgumentException("seq : " + seq + " (expected: >= 0)");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.ACK;
    }
}
