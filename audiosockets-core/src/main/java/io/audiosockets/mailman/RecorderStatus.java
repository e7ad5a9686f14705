package io.audiosockets.mailman;

import java.time.Instant;

/**
 * One connected recorder (or result publisher) at one moment.
 *
 * @param stream the stream it records
 * @param remoteAddress where it connects from ("127.0.0.1:40312")
 * @param connectedAt when this connection was accepted
 * @param chunksReceived chunks received on this connection, resends included
 * @param ackedSeq the highest sequence number acknowledged to it (-1 for none yet)
 */
public record RecorderStatus(String stream, String remoteAddress, Instant connectedAt, long chunksReceived, long ackedSeq) {
}
