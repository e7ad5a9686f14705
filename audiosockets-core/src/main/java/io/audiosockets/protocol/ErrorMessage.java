package io.audiosockets.protocol;

import java.util.Objects;

/**
 * Either way: something went wrong. The sender closes the connection after an error of the
 * client's fault; the message says what to do.
 *
 * @param code what went wrong, for programs
 * @param message what went wrong and what to do, for people
 */
public record ErrorMessage(ErrorCode code, String message) implements Message {

    /** Validates the fields. */
    public ErrorMessage {
        Objects.requireNonNull(code, "code == null");
        Objects.requireNonNull(message, "message == null");
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }
}
