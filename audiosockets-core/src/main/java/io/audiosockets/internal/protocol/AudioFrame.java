package io.audiosockets.internal.protocol;

import io.audiosockets.internal.audio.ChunkBytes;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.netty.buffer.ByteBuf;

/**
 * An AUDIO frame as received: its header fields, parsed, and the whole encoded frame, kept as
 * it arrived so the mailman can forward the very same bytes to every processor without
 * re-encoding or copying them.
 *
 * <p>Reference-counted: whoever holds an {@code AudioFrame} owns one reference and must
 * {@link #release()} it, or pass it on (writing it to a channel passes it on). Use
 * {@link #retainedDuplicate()} to hand the same bytes to several owners. {@link #toChunk()}
 * copies the samples out into an {@link AudioChunk} and leaves the reference count alone.
 */
public final class AudioFrame extends EncodedFrame {

    private final int sampleRate;
    private final int channels;
    private final SampleFormat format;
    private final int frames;

    AudioFrame(String stream, long seq, long captureTimeNanos, int sampleRate, int channels, SampleFormat format,
               int flags, int frames, ByteBuf encoded, int flagsIndex, int samplesIndex) {
        super(stream, seq, captureTimeNanos, flags, encoded, flagsIndex, samplesIndex);
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.format = format;
        this.frames = frames;
    }

    @Override
    public FrameType type() {
        return FrameType.AUDIO;
    }

    /** Capture time of the first sample, nanoseconds since the Unix epoch: {@link #timeNanos()}. */
    public long captureTimeNanos() {
        return timeNanos();
    }

    /** Samples per second per channel. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Number of interleaved channels. */
    public int channels() {
        return channels;
    }

    /** How each sample is stored. */
    public SampleFormat format() {
        return format;
    }

    /** Number of frames (samples per channel). */
    public int frames() {
        return frames;
    }

    /** Nanoseconds of audio this chunk holds. */
    @Override
    public long durationNanos() {
        return frames * 1_000_000_000L / sampleRate;
    }

    /** Copies the samples into a new {@link AudioChunk}. The frame's reference count is unchanged. */
    public AudioChunk toChunk() {
        return ChunkBytes.wrap(stream(), seq(), timeNanos(), sampleRate, channels, format, copyData());
    }

    /** A second owner of the same bytes: the count is incremented, the bytes are shared. */
    @Override
    public AudioFrame retainedDuplicate() {
        return new AudioFrame(stream(), seq(), timeNanos(), sampleRate, channels, format, flags(), frames,
                encoded.retainedDuplicate(), flagsIndex, dataIndex);
    }

    /**
     * A copy of this frame with {@code newFlags}, in a new buffer from {@code alloc}, with the
     * header's version byte set to 1 (AUDIO is the same in every version): the shared bytes are
     * never modified. This frame's count is unchanged.
     */
    @Override
    public AudioFrame copyWithFlags(int newFlags, io.netty.buffer.ByteBufAllocator alloc) {
        ByteBuf copy = copyBytes(newFlags, alloc);
        return new AudioFrame(stream(), seq(), timeNanos(), sampleRate, channels, format, newFlags, frames, copy,
                flagsIndex - encoded.readerIndex(), dataIndex - encoded.readerIndex());
    }

    /** Names the chunk and its shape, never the samples. */
    @Override
    public String toString() {
        return "AudioFrame{stream=" + stream() + ", seq=" + seq() + ", " + frames + " frames x " + channels + " ch @ "
                + sampleRate + " Hz " + format + (redelivery() ? ", redelivery" : "") + "}";
    }
}
