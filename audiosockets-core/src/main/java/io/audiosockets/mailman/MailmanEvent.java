package io.audiosockets.mailman;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened on a mailman that a person watching it wants to know: a client came
 * or went, a processor got a gap or fell behind, a handshake was refused. Kept in a short list
 * of recent events ({@link MailmanStatus#recentEvents()}) and handed to event listeners
 * ({@link Mailman#addEventListener}).
 *
 * @param at when it happened (wall clock)
 * @param kind what happened
 * @param client the recorder's stream or the processor's name, or the peer address for a refusal
 * @param stream the stream concerned, or "" when none
 * @param message one line for a person, naming what happened and, where there is one, what to do
 */
public record MailmanEvent(Instant at, Kind kind, String client, String stream, String message) {

    /** What happened. */
    public enum Kind {
        /** A recorder connected and was accepted. */
        RECORDER_JOINED,
        /** A recorder's connection ended (goodbye, error or lost). */
        RECORDER_LEFT,
        /** A processor connected and was accepted. */
        PROCESSOR_JOINED,
        /** A processor's connection ended. */
        PROCESSOR_LEFT,
        /** A processor was told that a range of a stream will never reach it. */
        GAP,
        /** A processor is more than {@code LAG_WARN_SECONDS} behind a stream. */
        LAG,
        /** A processor that was behind has caught up. */
        CAUGHT_UP,
        /** A handshake was refused (the message says why). */
        REFUSED,
        /** A stream whose recorder left was quiet for the retention and is forgotten. */
        STREAM_FORGOTTEN
    }

    /** Checks that no field is null. */
    public MailmanEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(message, "message");
    }
}
