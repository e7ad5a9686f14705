package io.audiosockets.internal.audio;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;

/**
 * The no-copy way into and out of an {@link AudioChunk}'s bytes, for the codec, the recorder and
 * the tools. {@code AudioChunk} is public and immutable, so its constructor copies the caller's
 * array and {@link AudioChunk#data()} returns a copy; the frame decoder, which allocates an array
 * for one chunk alone, and the encoder, which only reads the bytes, would pay a copy per chunk for
 * nothing. {@code AudioChunk} lends this class its private constructor and its array (once, from its
 * static initializer, as the JDK's own {@code SharedSecrets} do), so no public method of the API
 * hands out its internals.
 */
public final class ChunkBytes {

    /** What {@link AudioChunk} lends. Installed once, by {@code AudioChunk} itself. */
    public interface Access {
        /** A chunk around {@code data}, not copied. */
        AudioChunk wrap(String stream, long seq, long captureTimeNanos, int sampleRate, int channels, SampleFormat format,
                        byte[] data);

        /** The chunk's own array. */
        byte[] bytes(AudioChunk chunk);
    }

    private static volatile Access access;

    private ChunkBytes() {
    }

    /**
     * Called by {@code AudioChunk}'s static initializer.
     *
     * @throws IllegalStateException if anything was installed before
     */
    public static synchronized void install(Access lender) {
        if (access != null) {
            throw new IllegalStateException("ChunkBytes.install : called twice (only AudioChunk installs its access)");
        }
        access = lender;
    }

    /**
     * A chunk around {@code data} without a copy. The caller hands the array over and must never
     * touch it again.
     *
     * @throws IllegalArgumentException as {@link AudioChunk#AudioChunk the public constructor}
     */
    public static AudioChunk wrap(String stream, long seq, long captureTimeNanos, int sampleRate, int channels,
                                  SampleFormat format, byte[] data) {
        return access().wrap(stream, seq, captureTimeNanos, sampleRate, channels, format, data);
    }

    /** The chunk's sample bytes themselves, not a copy: read them, never write them. */
    public static byte[] bytes(AudioChunk chunk) {
        return access().bytes(chunk);
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try { // AudioChunk installs its access when it is initialised: make sure it has been
                Class.forName(AudioChunk.class.getName(), true, AudioChunk.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            a = access;
        }
        return a;
    }
}
