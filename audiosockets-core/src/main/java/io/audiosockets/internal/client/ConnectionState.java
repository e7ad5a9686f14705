package io.audiosockets.internal.client;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a {@link ClientConnection} is in its life. It moves only along these transitions; any
 * other is refused ({@link #canMoveTo}), which is what stops a closed connection from reconnecting
 * and a late event from reviving one:
 *
 * <pre>
 * NEW                  → CONNECTING            start()
 * CONNECTING           → HANDSHAKING           connected; HELLO sent (the TLS handshake, if configured, under way)
 *                      → WAITING_TO_RECONNECT  the attempt failed: no mailman there
 * HANDSHAKING          → OPEN                  WELCOME
 *                      → WAITING_TO_RECONNECT  closed before WELCOME: refused for now (NAME_IN_USE, LIMIT_REACHED,
 *                                              SHUTTING_DOWN), the TLS handshake failed, or falling back to version 1
 *                      → REFUSED               an ERROR that retrying cannot fix (AUTH_FAILED, INVALID_NAME, ...)
 * OPEN                 → WAITING_TO_RECONNECT  the connection was lost: closed, silent, said goodbye, broke the protocol
 *                      → REFUSED               an ERROR that retrying cannot fix
 * WAITING_TO_RECONNECT → CONNECTING            the reconnect timer fired
 * (any but CLOSING and CLOSED) → CLOSING       close()
 * CLOSING              → CLOSED                close() has closed the connection and stopped its loop
 * </pre>
 *
 * <p>REFUSED is final for the connection (it never reconnects) but, like every other state, still
 * holds the event loop until {@link ClientConnection#close()}. CLOSED is final.
 */
enum ConnectionState {
    /** Built, not started. */
    NEW,
    /** A TCP connection is being made. */
    CONNECTING,
    /** Connected (with TLS, if configured), HELLO sent, waiting for WELCOME. */
    HANDSHAKING,
    /** Welcomed: frames flow. */
    OPEN,
    /** The mailman is away; the next attempt is scheduled ({@code RECONNECT_SECONDS}, jittered). */
    WAITING_TO_RECONNECT,
    /** The mailman refused this client for good (a wrong token, say): no more attempts. */
    REFUSED,
    /** {@link ClientConnection#close()} has begun: BYE, then the connection and the loop stop. */
    CLOSING,
    /** Closed. */
    CLOSED;

    /** Whether a connection in this state may move to {@code next}. */
    boolean canMoveTo(ConnectionState next) {
        return successors().contains(next);
    }

    /**
     * Whether the connection has stopped for good or is stopping: it neither reconnects nor
     * answers the mailman's BYE (a BYE now is the answer to its own).
     */
    boolean stopping() {
        return this == REFUSED || this == CLOSING || this == CLOSED;
    }

    private Set<ConnectionState> successors() {
        return switch (this) {
            case NEW -> EnumSet.of(CONNECTING, CLOSING);
            case CONNECTING -> EnumSet.of(HANDSHAKING, WAITING_TO_RECONNECT, CLOSING);
            case HANDSHAKING -> EnumSet.of(OPEN, WAITING_TO_RECONNECT, REFUSED, CLOSING);
            case OPEN -> EnumSet.of(WAITING_TO_RECONNECT, REFUSED, CLOSING);
            case WAITING_TO_RECONNECT -> EnumSet.of(CONNECTING, CLOSING);
            case REFUSED -> EnumSet.of(CLOSING);
            case CLOSING -> EnumSet.of(CLOSED);
            case CLOSED -> EnumSet.noneOf(ConnectionState.class);
        };
    }
}
