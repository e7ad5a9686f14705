package io.audiosockets.protocol;

/**
 * One frame of the audiosockets protocol, decoded. Each frame type has one record (or, for
 * audio, {@link AudioMessage} to send and {@link AudioFrame} as received); {@link FrameCodec}
 * turns them into bytes and back. PROTOCOL.md gives the exact layout.
 */
public sealed interface Message permits Hello, Welcome, ErrorMessage, AudioMessage, AudioFrame, Ack, Gap, Bye, Ping, Pong,
        ReplayRequest, ReplayAnswer {

    /** The frame type this message is sent as. */
    FrameType type();
}
