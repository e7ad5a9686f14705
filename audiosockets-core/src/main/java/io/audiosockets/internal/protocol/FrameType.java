package io.audiosockets.internal.protocol;

/**
 * The type byte of a frame header. Codes are fixed forever; PROTOCOL.md gives each payload.
 */
public enum FrameType {
    /** Client to mailman, first frame of a connection: role, name, options. */
    HELLO(1),
    /** Mailman to client: the handshake succeeded. */
    WELCOME(2),
    /** Either way: a code and a readable message; the sender then closes. */
    ERROR(3),
    /** Recorder to mailman, and mailman to processor: one chunk of audio. */
    AUDIO(4),
    /** Mailman to recorder (chunk held) and processor to mailman (chunk processed): cumulative. */
    ACK(5),
    /** Mailman to processor: a range of a stream that will never be delivered, and why. */
    GAP(6),
    /** Either way: an orderly goodbye carrying DISCONNECT_MSG; answered by a BYE, then closed. */
    BYE(7),
    /** Either way: are you there? Answered by PONG with the same nonce. */
    PING(8),
    /** Either way: the answer to PING. */
    PONG(9),
    /** Mailman to recorder: send again a range of chunks you still hold (after a mailman restart). */
    REPLAY(10),
    /** Recorder to mailman: how many replayed AUDIO frames follow, from which sequence number. */
    REPLAY_ANSWER(11),
    /** Publisher to mailman, and mailman to processor: one item of a result stream. Protocol version 2. */
    RECORD(12, 2);

    private static final FrameType[] BY_CODE = new FrameType[16];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int sinceVersion;

    FrameType(int code) {
        this(code, 1);
    }

    FrameType(int code, int sinceVersion) {
        this.code = code;
        this.sinceVersion = sinceVersion;
    }

    /**
     * The protocol version that introduced this type: the version byte a peer writes in its
     * header, so that every peer that may receive the frame can read it (PROTOCOL.md §9).
     */
    public int sinceVersion() {
        return sinceVersion;
    }

    /** The type's byte on the wire. */
    public int code() {
        return code;
    }

    /** The type with this code, or {@code null} if the code is unknown. */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
