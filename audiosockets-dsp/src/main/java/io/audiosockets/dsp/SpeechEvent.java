package io.audiosockets.dsp;

import java.time.Instant;
import java.util.Objects;

/**
 * A speech boundary found by a {@link VoiceActivityDetector}. Immutable and thread-safe.
 *
 * @param type whether speech starts or ends here
 * @param stream the stream's name, as given to the detector ({@code ""} when it was given none)
 * @param sample the boundary as a sample index: for {@link Type#START} the first sample of speech,
 *               for {@link Type#END} the first sample after it; counted over the samples the
 *               detector has been fed since it was built (a gap's missing samples are not counted)
 * @param timeNanos the capture time of that sample in nanoseconds since the Unix epoch: the
 *                  capture time of the block of samples it was fed in plus the sample's offset from that block's first sample
 *                  divided by the sample rate, rounded to the nanosecond
 */
public record SpeechEvent(Type type, String stream, long sample, long timeNanos) {
    /** The kind of boundary. */
    public enum Type {
        /** Speech starts at the event's sample. */
        START,
        /** Speech ended just before the event's sample. */
        END
    }

    /** Checks that type and stream are there. */
    public SpeechEvent {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(stream, "stream == null");
    }

    /** The capture time as an {@link Instant}. */
    public Instant time() {
        return Instant.ofEpochSecond(0, timeNanos);
    }
}
