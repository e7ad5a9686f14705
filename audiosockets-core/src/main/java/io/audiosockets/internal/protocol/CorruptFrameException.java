package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.ErrorCode;

/** A frame whose bytes cannot be parsed: bad magic, a field out of range, truncated or trailing data. */
public class CorruptFrameException extends ProtocolException {
    /** A corrupt frame, with a message naming the field at fault. */
    public CorruptFrameException(String message) {
        super(ErrorCode.MALFORMED_FRAME, message);
    }
}
