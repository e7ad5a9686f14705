package io.audiosockets.internal.protocol;

import java.util.Objects;

/**
 * Either way: an orderly goodbye carrying the configured {@code DISCONNECT_MSG}. The receiver
 * answers with a BYE of its own and then the connection is closed.
 *
 * @param message the disconnect message
 */
public record Bye(String message) implements Message {

    /** Validates the field. */
    public Bye {
        Objects.requireNonNull(message, "message == null");
    }

    @Override
    public FrameType type() {
        return FrameType.BYE;
    }
}
