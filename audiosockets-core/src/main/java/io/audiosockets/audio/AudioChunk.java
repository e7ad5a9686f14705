package io.audiosockets.audio;

import io.audiosockets.internal.audio.ChunkBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One chunk of one audio stream: the unit a recorder sends and a processor receives.
 *
 * <p>Every chunk carries its stream name and a sequence number, so a consumer can prove it saw
 * every chunk of a stream in order (a missing range is announced as a gap, never skipped
 * silently). The capture time is that of the chunk's first sample, in nanoseconds since the Unix
 * epoch.
 *
 * <p>The samples are kept as the bytes that travel on the wire, interleaved by channel, in
 * {@link #format()}. {@link #samples()} and {@link #channel(int)} convert them to normalised
 * floats on demand; nothing is converted for a consumer that does not ask.
 *
 * <p>Immutable and thread-safe. This is a final class rather than a record because a record
 * cannot offer the no-copy path the decoders need (lent to the internals through
 * {@code ChunkBytes}): every record constructor runs the canonical one, which has to clone the
 * caller's array.
 */
public final class AudioChunk {
    static {
        ChunkBytes.install(new ChunkBytes.Access() {
            @Override
            public AudioChunk wrap(String stream, long seq, long captureTimeNanos, int sampleRate, int channels,
                                   SampleFormat format, byte[] data) {
                return new AudioChunk(stream, seq, captureTimeNanos, sampleRate, channels, format, data, true);
            }

            @Override
            public byte[] bytes(AudioChunk chunk) {
                return chunk.data;
            }
        });
    }

    private final String stream;
    private final long seq;
    private final long captureTimeNanos;
    private final int sampleRate;
    private final int channels;
    private final SampleFormat format;
    private final byte[] data;

    /**
     * A chunk holding a copy of {@code data}.
     *
     * @param stream the stream's name, as the recorder registered it
     * @param seq the chunk's sequence number in its stream, from 0, consecutive
     * @param captureTimeNanos capture time of the first sample, nanoseconds since the Unix epoch
     * @param sampleRate samples per second per channel, &gt; 0
     * @param channels number of interleaved channels, 1..65535
     * @param format how each sample is stored
     * @param data the interleaved samples: a whole number of frames of {@code channels} samples
     * @throws IllegalArgumentException naming the field and value that is out of range
     */
    public AudioChunk(String stream, long seq, long captureTimeNanos, int sampleRate, int channels,
                      SampleFormat format, byte[] data) {
        this(stream, seq, captureTimeNanos, sampleRate, channels, format, Objects.requireNonNull(data, "data == null").clone(), true);
    }

    // Trusted internal constructor: doesn't clone data.
    private AudioChunk(String stream, long seq, long captureTimeNanos, int sampleRate, int channels,
                       SampleFormat format, byte[] data, boolean trusted) {
        this.stream = Objects.requireNonNull(stream, "stream == null");
        this.format = Objects.requireNonNull(format, "format == null");
        this.data = Objects.requireNonNull(data, "data == null");
        if (seq < 0) {
            throw new IllegalArgumentException("seq : " + seq + " (expected: >= 0)");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate : " + sampleRate + " (expected: > 0)");
        }
        if (channels <= 0 || channels > 0xFFFF) {
            throw new IllegalArgumentException("channels : " + channels + " (expected: 1..65535)");
        }
        int frameBytes = channels * format.bytesPerSample();
        if (data.length % frameBytes != 0) {
            throw new IllegalArgumentException("data length : " + data.length + " (expected: a multiple of "
                    + frameBytes + " bytes, whole frames of " + channels + " x " + format + ")");
        }
        this.seq = seq;
        this.captureTimeNanos = captureTimeNanos;
        this.sampleRate = sampleRate;
        this.channels = channels;
    }

    /**
     * A chunk from normalised float samples (interleaved), stored as {@code format}. Values beyond
     * [-1, 1] are clipped when the format is 16-bit PCM.
     */
    public static AudioChunk ofFloats(String stream, long seq, long captureTimeNanos, int sampleRate, int channels,
                                      SampleFormat format, float[] interleaved) {
        return new AudioChunk(stream, seq, captureTimeNanos, sampleRate, channels, format, Samples.encode(interleaved, format), true);
    }

    /** The stream's name. */
    public String stream() {
        return stream;
    }

    /** The sequence number of this chunk in its stream; the first chunk of a stream is 0. */
    public long seq() {
        return seq;
    }

    /** Capture time of the first sample, in nanoseconds since the Unix epoch. */
    public long captureTimeNanos() {
        return captureTimeNanos;
    }

    /** The capture time of the first sample as an {@link Instant}. */
    public Instant captureTime() {
        return Instant.ofEpochSecond(0, captureTimeNanos);
    }

    /** Samples per second per channel. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Number of interleaved channels. */
    public int channels() {
        return channels;
    }

    /** How each sample is stored in {@link #data()}. */
    public SampleFormat format() {
        return format;
    }

    /** Number of frames (samples per channel). */
    public int frames() {
        return data.length / (channels * format.bytesPerSample());
    }

    /** Length of the chunk's audio in nanoseconds. */
    public long durationNanos() {
        return frames() * 1_000_000_000L / sampleRate;
    }

    /** The size of the sample bytes: {@link #frames()} × {@link #channels()} × the format's bytes per sample. */
    public int byteCount() {
        return data.length;
    }

    /** A copy of the interleaved sample bytes, little-endian, in {@link #format()}. */
    public byte[] data() {
        return data.clone();
    }

    /**
     * The sample bytes as a read-only, little-endian view, without a copy: for code that reads
     * them once per chunk (a decoder into a buffer it keeps, a file writer) and should not pay for
     * {@link #data()}'s copy. Each call returns a new view, positioned at 0.
     */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** All samples as normalised floats, interleaved by channel: a new array each call. */
    public float[] samples() {
        return Samples.decode(data, format);
    }

    /**
     * The samples of one channel as normalised floats: a new array each call.
     *
     * @throws IndexOutOfBoundsException if {@code channel} is not in [0, channels)
     */
    public float[] channel(int channel) {
        Objects.checkIndex(channel, channels);
        return Samples.decodeChannel(data, format, channels, channel);
    }

    /** A copy of this chunk under another sequence number (the samples array is shared: both are immutable). */
    public AudioChunk withSeq(long newSeq) {
        return new AudioChunk(stream, newSeq, captureTimeNanos, sampleRate, channels, format, data, true);
    }

    /** Compares every field, and the samples by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AudioChunk c
                && seq == c.seq && captureTimeNanos == c.captureTimeNanos && sampleRate == c.sampleRate
                && channels == c.channels && stream.equals(c.stream) && format == c.format
                && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, seq, captureTimeNanos, sampleRate, channels, format) * 31 + Arrays.hashCode(data);
    }

    /** A short description that names the samples' shape, never their values. */
    @Override
    public String toString() {
        return "AudioChunk{stream=" + stream + ", seq=" + seq + ", captureTime=" + captureTime() + ", "
                + frames() + " frames x " + channels + " ch @ " + sampleRate + " Hz " + format + "}";
    }
}
