package io.audiosockets.protocol;

import io.audiosockets.internal.protocol.RecordFrame;

/**
 * What the payload of a {@link RecordFrame} is. Codes are fixed forever (PROTOCOL.md §9).
 */
public enum ContentType {
    /** UTF-8 JSON text: an event such as {@code {"event":"speech_start"}}. Wire code 1. */
    JSON(1),
    /** Little-endian IEEE 754 binary32 values: probabilities, an embedding. Wire code 2. */
    FLOAT32(2),
    /** Bytes whose meaning the publisher and its subscribers agree on. Wire code 3. */
    BYTES(3);

    private final int code;

    ContentType(int code) {
        this.code = code;
    }

    /** The type's byte on the wire. */
    public int code() {
        return code;
    }

    /** The type with this code, or {@code null} if the code is unknown. */
    public static ContentType fromCode(int code) {
        for (ContentType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
