package io.audiosockets.mailman;

import java.time.Instant;
import java.util.List;

/**
 * One connected processor at one moment: what it has been sent and how far behind it is.
 *
 * @param name the processor's name
 * @param remoteAddress where it connects from ("127.0.0.1:40312")
 * @param connectedAt when this connection was accepted
 * @param window its window: chunks per stream it may have unacknowledged
 * @param subscriptions the streams it asked for; empty means every stream
 * @param delivered chunks written to it on this connection
 * @param gaps GAP notices sent to it on this connection
 * @param gapChunks the chunks those gaps covered
 * @param lagChunks chunks of all its streams that have arrived and that it has not acknowledged yet
 * @param lagSeconds the largest of its streams' {@link Cursor#lagSeconds()}
 * @param cursors where it stands in each stream it receives
 */
public record ProcessorStatus(String name, String remoteAddress, Instant connectedAt, int window, List<String> subscriptions,
                              long delivered, long gaps, long gapChunks, long lagChunks, double lagSeconds, List<Cursor> cursors) {

    /** Copies the lists. */
    public ProcessorStatus {
        subscriptions = List.copyOf(subscriptions);
        cursors = List.copyOf(cursors);
    }

    /**
     * Where a processor stands in one stream.
     *
     * @param stream the stream
     * @param nextSeq the next sequence number the mailman will send it
     * @param ackedSeq the highest it has acknowledged (-1 for none)
     * @param inFlight sequence numbers sent and not yet acknowledged
     * @param lagChunks chunks that have arrived and that it has not acknowledged ({@code lastSeq - ackedSeq})
     * @param lagSeconds how long the oldest of those has been waiting at the mailman, in seconds; 0 when
     *     it has acknowledged everything. For a stream at real time, how many seconds of audio it is behind.
     */
    public record Cursor(String stream, long nextSeq, long ackedSeq, long inFlight, long lagChunks, double lagSeconds) {
    }
}
