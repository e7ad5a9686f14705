package io.audiosockets.internal.protocol;

/**
 * What a client is, declared in its {@link Hello}. The paper's "type identifier".
 */
public enum Role {
    /** Sends the audio of one stream. Wire code 1. */
    RECORDER(1),
    /** Receives the audio of the streams it subscribes to. Wire code 2. */
    PROCESSOR(2),
    /** Sends the records of one result stream: a processor's results (PROTOCOL.md §9). Wire code 3, protocol version 2. */
    PUBLISHER(3);

    private final int code;

    Role(int code) {
        this.code = code;
    }

    /** The role's byte on the wire. */
    public int code() {
        return code;
    }

    /** The role with this code, or {@code null}: the mailman answers an unknown role "not a node". */
    public static Role fromCode(int code) {
        for (Role r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
