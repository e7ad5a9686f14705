package io.audiosockets.internal.protocol;

import java.util.Objects;

/**
 * Mailman to client: the handshake succeeded.
 *
 * @param server the mailman's name and version, for logs
 * @param sessionId the mailman's number for this connection, for logs on both sides
 * @param maxFrameBytes the largest payload the mailman accepts
 * @param heartbeatMillis how often the mailman pings an idle connection; a client may do the same
 * @param lastSeq recorder: the highest sequence number the mailman holds for its stream, or -1;
 *                the recorder need not resend anything up to it. Processor: -1
 */
public record Welcome(String server, long sessionId, int maxFrameBytes, int heartbeatMillis, long lastSeq)
        implements Message {

    /** Validates the fields. */
    public Welcome {
        Objects.requireNonNull(server, "server == null");
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes : " + maxFrameBytes + " (expected: > 0)");
        }
        if (heartbeatMillis < 0) {
            throw new IllegalArgumentException("heartbeatMillis : " + heartbeatMillis + " (expected: >= 0)");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.WELCOME;
    }
}
