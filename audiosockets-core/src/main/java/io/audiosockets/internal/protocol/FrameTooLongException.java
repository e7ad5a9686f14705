package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.ErrorCode;

/** A frame header announced a payload longer than the receiver's maximum; nothing was allocated for it. */
public class FrameTooLongException extends ProtocolException {
    /** A frame of {@code announced} bytes against a maximum of {@code max}. */
    public FrameTooLongException(long announced, int max) {
        super(ErrorCode.FRAME_TOO_LARGE, "frame payload of " + announced + " bytes exceeds the maximum of " + max
                + " bytes (MAX_FRAME_BYTES); send shorter chunks or raise the limit on both sides");
    }
}
