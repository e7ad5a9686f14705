package io.audiosockets.client;

import io.audiosockets.protocol.ErrorCode;

/**
 * Lifecycle events of a recorder or processor connection. Every method has a no-op default:
 * override what you need.
 *
 * <p>Methods are called on the client's event loop: they must return quickly, must not block
 * and must not throw.
 */
public interface ClientListener {
    /** The handshake succeeded; {@code reconnect} is false the first time. */
    default void onConnected(ConnectionInfo connection, boolean reconnect) {
    }

    /** An established connection was lost or closed; the client reconnects unless it is closing. */
    default void onDisconnected(String reason) {
    }

    /** The mailman sent an ERROR; the client reconnects unless {@code fatal}. */
    default void onMailmanError(ErrorCode code, String message, boolean fatal) {
    }

    /**
     * Recorders only: the mailman has stored, and acknowledged, every chunk of the stream up to
     * and including sequence number {@code seq} (cumulative, as the ACK frame). Lets a caller
     * measure acknowledgement latency or track what is safe.
     */
    default void onAcknowledged(long seq) {
    }

    /** The client stopped for good: closed by the user, or refused with a fatal error. */
    default void onClosed() {
    }
}
