package io.audiosockets.protocol;

import io.audiosockets.internal.protocol.ErrorMessage;

/**
 * The code of an {@link ErrorMessage}: what went wrong, so a client can act on it without
 * parsing the message text. Codes are fixed forever; unknown codes must be treated as
 * {@link #INTERNAL}.
 */
public enum ErrorCode {
    /** A frame could not be parsed: bad magic, bad field, truncated or trailing bytes. */
    MALFORMED_FRAME(1, true),
    /** The frame's protocol version is not one this peer speaks. */
    UNSUPPORTED_VERSION(2, true),
    /** The frame announced a payload longer than the peer's maximum frame size. */
    FRAME_TOO_LARGE(3, true),
    /** The HELLO named a role that is neither recorder nor processor: "not a node". */
    UNKNOWN_ROLE(4, true),
    /** The first frame was not a HELLO (a second HELLO is {@link #UNEXPECTED_FRAME}). */
    HANDSHAKE_REQUIRED(5, true),
    /** Another live client of a different instance already uses this name. */
    NAME_IN_USE(6, true),
    /** The stream or processor name is empty, too long, or has characters outside the allowed set. */
    INVALID_NAME(7, true),
    /** The token was missing or wrong for the client's role (TOKEN, RECORDER_TOKEN, PROCESSOR_TOKEN). */
    AUTH_FAILED(8, true),
    /** A BYE carried a message other than the mailman's DISCONNECT_MSG. */
    BAD_DISCONNECT_MSG(9, true),
    /** A well-formed frame that this role may not send in this state (e.g. AUDIO from a processor). */
    UNEXPECTED_FRAME(10, true),
    /** The mailman is shutting down; reconnect later. */
    SHUTTING_DOWN(11, false),
    /** No HELLO arrived within the handshake timeout. */
    HANDSHAKE_TIMEOUT(12, true),
    /** The peer failed in a way that is not the client's fault. */
    INTERNAL(13, false),
    /** The same client instance connected again; this older connection is closed. */
    REPLACED(14, false),
    /** A field is well-formed but out of range (e.g. window 0, sample rate 0). */
    INVALID_VALUE(15, true),
    /** The mailman is at one of its limits (connections, streams, processors); try again later. */
    LIMIT_REACHED(16, false);

    private final int code;
    private final boolean clientFault;

    ErrorCode(int code, boolean clientFault) {
        this.code = code;
        this.clientFault = clientFault;
    }

    /** The code on the wire (u16). */
    public int code() {
        return code;
    }

    /**
     * True if retrying unchanged will fail again (the client must fix something), false if a
     * reconnect may succeed.
     */
    public boolean clientFault() {
        return clientFault;
    }

    /** The code with this number; unknown numbers map to {@link #INTERNAL}. */
    public static ErrorCode fromCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
