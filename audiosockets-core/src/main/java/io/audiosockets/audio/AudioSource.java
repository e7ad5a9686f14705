package io.audiosockets.audio;

import java.io.IOException;

/**
 * Where a recorder's audio comes from: a microphone, a file, a synthetic signal, stdin.
 *
 * <p>{@link #read} blocks like a capture device: a live or paced source returns frames no
 * faster than real time. The recorder calls it from its capture thread only, so an
 * implementation need not be thread-safe, except {@link #close()}, which may be called from
 * another thread to end a blocked read.
 *
 * <h3>Lost audio</h3>
 * A live source can lose audio it never delivers: a capture device whose buffer fills while
 * the reader is late drops the oldest frames. Such a source says so through {@link #framesLost()},
 * and the recorder turns the loss into a gap processors see (see {@code Recorder}): the frames a
 * {@link #read} returns after {@code framesLost()} has grown by L follow a hole of exactly L
 * frames, right after the last frame of the previous read. A source that cannot lose audio
 * (a file, a synthetic signal, a pipe) keeps the default, 0.
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

    /**
     * Frames lost so far, in total, since the source was opened. It grows only inside
     * {@link #read}, and only by frames that lie between the previous read's last frame and the
     * first frame this read returns. Called on the capture thread, after each read.
     */
    default long framesLost() {
        return 0;
    }

    /**
     * True if the frames come from a clock of their own that runs in real time independently of
     * ours (a sound card): the recorder then keeps its sample-counted timestamps near the wall
     * clock with a bounded drift correction. False (the default) for files, synthetic signals and
     * pipes, whose timestamps are pure sample counts.
     */
    default boolean isLive() {
        return false;
    }

    /** A short description for log lines, e.g. "sine 440 Hz, 16000 Hz mono". */
    String describe();

    /** Releases the source; a blocked {@link #read} returns -1 or throws. */
    @Override
    void close() throws IOException;
}
