package io.audiosockets.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What the mailman said when it accepted a client's connection (its WELCOME, PROTOCOL.md §4.2):
 * given to {@link ClientListener#onConnected} and by the clients' {@code connected()} futures.
 *
 * @param server the mailman's name and version, for logs
 * @param sessionId the mailman's number for this connection; its log lines carry it too
 * @param maxFrameBytes the largest frame payload the mailman accepts
 * @param heartbeat how often the mailman pings an idle connection
 * @param lastSeq recorder: the highest sequence number the mailman already holds for its stream, or -1 (the
 *                recorder resends nothing up to it); processor and publisher: -1
 */
public record ConnectionInfo(String server, long sessionId, int maxFrameBytes, Duration heartbeat, long lastSeq) {

    /** Validates the fields. */
    public ConnectionInfo {
        Objects.requireNonNull(server, "server == null");
        Objects.requireNonNull(heartbeat, "heartbeat == null");
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes : " + maxFrameBytes + " (expected: > 0)");
        }
    }
}
