package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.ErrorCode;
import io.netty.handler.codec.DecoderException;

/**
 * A frame broke the protocol. Carries the {@link ErrorCode} the receiver sends back before it
 * closes the connection; the message names the field and the value at fault.
 */
public class ProtocolException extends DecoderException {
    private final ErrorCode code;

    /** A protocol error with its code and a message that names the field at fault. */
    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The code to send back in the ERROR frame. */
    public ErrorCode code() {
        return code;
    }
}
