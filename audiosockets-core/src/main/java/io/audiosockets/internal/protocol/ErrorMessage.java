package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.ErrorCode;
import java.util.Objects;

/**
 * Either way: something went wrong. The sender closes the connection after an error of the
 * client's fault; the message says what to do.
 *
 * @param code what went wrong, for programs
 * @param message what went wrong and what to do, for people
 */
public record ErrorMessage(ErrorCode code, String message) implements Message {
    /** Longest message kept, in chars: the wire string holds at most 65 535 UTF-8 bytes. */
    public static final int MAX_MESSAGE_CHARS = 2000;

    /** Validates the fields; a message longer than {@link #MAX_MESSAGE_CHARS} is shortened. */
    public ErrorMessage {
        Objects.requireNonNull(code, "code == null");
        Objects.requireNonNull(message, "message == null");
        if (message.length() > MAX_MESSAGE_CHARS) {
            // Messages quote what the peer sent; a hostile peer must not make our error unencodable.
            int end = MAX_MESSAGE_CHARS;
            if (Character.isHighSurrogate(message.charAt(end - 1))) {
                end--;
            }
            message = message.substring(0, end) + "...";
        }
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }
}
