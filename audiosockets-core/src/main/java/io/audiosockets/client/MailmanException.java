package io.audiosockets.client;

import io.audiosockets.protocol.ErrorCode;

/**
 * The mailman refused a client for a reason that retrying will not fix (an unknown role, a
 * bad name, a wrong token, an unsupported version). The message says what to change.
 */
public class MailmanException extends RuntimeException {
    private final ErrorCode code;

    /** A refusal with the mailman's code and message. */
    public MailmanException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The mailman's error code. */
    public ErrorCode code() {
        return code;
    }
}
