package io.audiosockets.internal.protocol;

/**
 * One frame of the audiosockets protocol, decoded. Each frame type has one record (or, for
 * the items of a stream, {@link AudioMessage} and {@link RecordMessage} to send, {@link AudioFrame} and
 * {@link RecordFrame} as received); {@link FrameCodec}
 * turns them into bytes and back. PROTOCOL.md gives the exact layout.
 */
public sealed interface Message permits Hello, Welcome, ErrorMessage, AudioMessage, StreamFrame, Ack, GapFrame, Bye, Ping, Pong,
        ReplayRequest, ReplayAnswer, RecordMessage {

    /** The frame type this message is sent as. */
    FrameType type();
}
