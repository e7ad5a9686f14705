package io.audiosockets.mailman;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything a person watching a mailman wants to see at one moment: its streams, recorders and
 * processors with their figures, its counters and its recent events. Taken by
 * {@link Mailman#status()}; served as JSON by the HTTP side ({@code /api/status}).
 *
 * @param takenAt when it was taken
 * @param server the mailman's name and version
 * @param uptime how long the mailman has been serving
 * @param totals the counters since start
 * @param streams every stream the mailman keeps a log for, by name
 * @param recorders every connected recorder and result publisher, by stream
 * @param processors every connected processor, by name
 * @param recentEvents the latest events, oldest first (at most {@link Mailman#RECENT_EVENTS})
 */
public record MailmanStatus(Instant takenAt, String server, Duration uptime, MailmanStats.Snapshot totals, List<StreamStatus> streams,
                            List<RecorderStatus> recorders, List<ProcessorStatus> processors, List<MailmanEvent> recentEvents) {

    /** Copies the lists. */
    public MailmanStatus {
        streams = List.copyOf(streams);
        recorders = List.copyOf(recorders);
        processors = List.copyOf(processors);
        recentEvents = List.copyOf(recentEvents);
    }
}
