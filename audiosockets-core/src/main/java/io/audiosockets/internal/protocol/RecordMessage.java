package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.ResultRecord;
import java.util.Objects;

/**
 * A RECORD frame to send, from a {@link Record}: what a publisher writes (the mailman forwards the
 * {@link RecordFrame}s it received instead).
 *
 * @param record the record
 * @param flags RECORD flag bits; a publisher sends 0
 */
public record RecordMessage(ResultRecord record, int flags) implements Message {
    /** Checks the fields. */
    public RecordMessage {
        Objects.requireNonNull(record, "record == null");
    }

    /** A record with no flags. */
    public RecordMessage(ResultRecord record) {
        this(record, 0);
    }

    @Override
    public FrameType type() {
        return FrameType.RECORD;
    }
}
