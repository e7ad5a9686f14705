package io.audiosockets.internal.protocol;

import io.audiosockets.audio.AudioChunk;
import java.util.Objects;

/**
 * An {@link AudioChunk} to be sent as an AUDIO frame. What arrives is an {@link AudioFrame}.
 *
 * @param chunk the chunk
 * @param flags AUDIO flag bits, e.g. {@link AudioFrame#FLAG_REDELIVERY}
 */
public record AudioMessage(AudioChunk chunk, int flags) implements Message {

    /** Validates the fields. */
    public AudioMessage {
        Objects.requireNonNull(chunk, "chunk == null");
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags : " + flags + " (expected: 0..255)");
        }
    }

    /** A chunk sent for the first time. */
    public AudioMessage(AudioChunk chunk) {
        this(chunk, 0);
    }

    @Override
    public FrameType type() {
        return FrameType.AUDIO;
    }
}
