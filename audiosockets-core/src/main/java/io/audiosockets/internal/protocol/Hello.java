package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.StartPosition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The first frame of every connection, client to mailman: who the client is and how it wants to
 * be served. The layout is the same for every role; fields that do not apply to a role are sent
 * empty or zero.
 *
 * @param roleCode the role's wire code; kept raw so the mailman can refuse an unknown one by name
 * @param name the recorder's stream name or the processor's name
 * @param instanceId random per client object: a reconnect of the same instance replaces its old connection
 * @param token the shared secret, or empty
 * @param window processor: most chunks the mailman may have unacknowledged in flight to it (1..65535);
 *               recorder: its own send window (for the mailman's logs)
 * @param start processor: where to start in streams it has no position for
 * @param subscriptions processor: the streams it wants; empty means every stream
 * @param positions processor: for each stream, the next sequence number it wants (resume)
 * @param version the protocol version of the HELLO's header: the highest version the client speaks (1 to 3;
 *     a processor of version 1 is never sent result streams, PROTOCOL.md §9; a recorder or publisher of version 3
 *     may have its ACKs held back for up to ACK_DELAY_MILLIS, §5.2)
 */
public record Hello(int roleCode, String name, long instanceId, String token, int window, StartPosition start,
                    List<String> subscriptions, Map<String, Long> positions, int version) implements Message {

    /** A HELLO of protocol version 1, which every mailman understands. */
    public Hello(int roleCode, String name, long instanceId, String token, int window, StartPosition start,
                 List<String> subscriptions, Map<String, Long> positions) {
        this(roleCode, name, instanceId, token, window, start, subscriptions, positions, 1);
    }

    /** The same HELLO with header version {@code v}. */
    public Hello withVersion(int v) {
        return new Hello(roleCode, name, instanceId, token, window, start, subscriptions, positions, v);
    }

    /** Validates field ranges and copies the collections. */
    public Hello {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(token, "token == null");
        Objects.requireNonNull(start, "start == null");
        if (roleCode < 0 || roleCode > 255) {
            throw new IllegalArgumentException("roleCode : " + roleCode + " (expected: 0..255)");
        }
        if (window < 0 || window > 0xFFFF) {
            throw new IllegalArgumentException("window : " + window + " (expected: 0..65535)");
        }
        if (version < 1 || version > FrameCodec.VERSION) {
            throw new IllegalArgumentException("version : " + version + " (expected: 1.." + FrameCodec.VERSION + ")");
        }
        subscriptions = List.copyOf(subscriptions);
        positions = Map.copyOf(positions);
    }

    /** The role, or {@code null} if the code is not one this version knows. */
    public Role role() {
        return Role.fromCode(roleCode);
    }

    @Override
    public FrameType type() {
        return FrameType.HELLO;
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "Hello{role=" + (role() == null ? "unknown(" + roleCode + ")" : role()) + ", name=" + name
                + ", instance=" + Long.toHexString(instanceId) + ", token=" + (token.isEmpty() ? "none" : "***")
                + ", window=" + window + ", start=" + start.mode() + ", subscriptions=" + subscriptions
                + ", positions=" + positions + ", version=" + version + "}";
    }
}
