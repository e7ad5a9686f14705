package io.audiosockets.audio;

import java.io.IOException;

/**
 * Where a recorder's audio comes from: a microphone, a file, a synthetic signal, stdin.
 *
 * <p>{@link #read} blocks like a capture device: a live or paced source returns frames no
 * faster than real time. The recorder calls it from its capture thread only, so an
 * implementation need not be thread-safe, except {@link #close()}, which may be called from
 * another thread to end a blocked read.
 */
public interface AudioSource extends AutoCloseable {

    /** The format of the bytes {@link #read} produces. */
    StreamFormat format();

    /**
     * Reads up to {@code frames} frames into {@code buffer} at {@code offset}, blocking until at
     * least one frame is available.
     *
     * @return frames read, or -1 at the end of the source
     * @throws IOException if the source fails (a device that disappears, an unreadable file)
     */
    int read(byte[] buffer, int offset, int frames) throws IOException;

    /** A short description for log lines, e.g. "sine 440 Hz, 16000 Hz mono". */
    String describe();

    /** Releases the source; a blocked {@link #read} returns -1 or throws. */
    @Override
    void close() throws IOException;
}
