package io.audiosockets.processor;

import io.audiosockets.audio.AudioChunk;

/**
 * The lambda form of {@link BaseProcessor#processData}: {@code chunk -> ...}.
 */
@FunctionalInterface
public interface ChunkHandler {
    /**
     * Processes one chunk. Runs on the processor's own thread, one chunk at a time, in order per
     * stream. An exception is logged with the stream and sequence number, counted, and processing
     * goes on with the next chunk.
     */
    void processData(AudioChunk chunk) throws Exception;
}
