package io.audiosockets.internal.protocol;

/**
 * Either way: a liveness probe, answered by a {@link Pong} with the same nonce.
 *
 * @param nonce any value; echoed back
 */
public record Ping(long nonce) implements Message {
    @Override
    public FrameType type() {
        return FrameType.PING;
    }
}
