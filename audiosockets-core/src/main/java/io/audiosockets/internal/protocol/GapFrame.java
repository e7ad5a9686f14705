package io.audiosockets.internal.protocol;

import io.audiosockets.protocol.Gap;
import java.util.Objects;

/**
 * A GAP frame (PROTOCOL.md §4.6): the public {@link Gap} value as a message on the wire. The value
 * stays free of the protocol's types because user code receives it in {@code onGap}.
 *
 * @param gap the chunks that will never be delivered, and why
 */
public record GapFrame(Gap gap) implements Message {

    /** Checks the value is there. */
    public GapFrame {
        Objects.requireNonNull(gap, "gap == null");
    }

    @Override
    public FrameType type() {
        return FrameType.GAP;
    }
}
