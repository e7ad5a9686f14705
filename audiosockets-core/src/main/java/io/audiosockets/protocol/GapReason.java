package io.audiosockets.protocol;

/**
 * Why a {@link Gap} can never be delivered. Codes are fixed forever; unknown codes map to
 * {@link #UNKNOWN}.
 */
public enum GapReason {
    /** The processor fell further behind than the mailman's retention; the range was evicted. */
    RETENTION_EXCEEDED(1),
    /** The recorder never delivered the range (it lost it: a capture overrun, a full buffer). */
    SOURCE_SKIPPED(2),
    /** The range was asked for (a resume position) but the mailman never held it. */
    NOT_AVAILABLE(3),
    /** A reason this implementation does not know. */
    UNKNOWN(255);

    private final int code;

    GapReason(int code) {
        this.code = code;
    }

    /** The reason's byte on the wire. */
    public int code() {
        return code;
    }

    /** The reason with this code, or {@link #UNKNOWN}. */
    public static GapReason fromCode(int code) {
        for (GapReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return UNKNOWN;
    }
}
