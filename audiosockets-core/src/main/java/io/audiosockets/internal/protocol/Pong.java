package io.audiosockets.internal.protocol;

/**
 * The answer to a {@link Ping}.
 *
 * @param nonce the ping's nonce
 */
public record Pong(long nonce) implements Message {
    @Override
    public FrameType type() {
        return FrameType.PONG;
    }
}
