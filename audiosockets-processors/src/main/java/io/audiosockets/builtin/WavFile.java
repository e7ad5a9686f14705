package io.audiosockets.builtin;

import io.audiosockets.audio.SampleFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One WAV file being written, whose header is rewritten after every append so that the file on
 * disk is a complete, valid WAV between any two appends.
 *
 * <p>16-bit PCM gets the canonical 44-byte header (format tag 1). 32-bit float gets format tag 3
 * (WAVE_FORMAT_IEEE_FLOAT) with an 18-byte fmt chunk ({@code cbSize = 0}) and the {@code fact}
 * chunk the specification requires of every non-PCM format: 58 bytes.
 *
 * <p>Samples are appended before the header is updated, so a process killed between the two
 * leaves a header that describes all but the last append: readers see every earlier sample and
 * ignore the trailing bytes. Not thread-safe.
 */
final class WavFile implements AutoCloseable {
    /** WAV sizes are 32-bit; stop well before the RIFF size would wrap. */
    static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 64;

    private Path path;
    private final FileChannel channel;
    private final int sampleRate;
    private final int channels;
    private final SampleFormat format;
    private final ByteBuffer header;
    private long dataBytes;

    private WavFile(Path path, FileChannel channel, int sampleRate, int channels, SampleFormat format) {
        this.path = path;
        this.channel = channel;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.format = format;
        this.header = ByteBuffer.allocate(headerLength(format)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Creates {@code base + ".wav"} in {@code directory} (or {@code base_1.wav}, {@code base_2.wav}...
     * if taken) holding an empty, valid WAV, and opens it.
     *
     * <p>The header is written to a hidden temporary file first, which is then renamed: a process
     * killed at any moment leaves no empty or headerless {@code .wav}. A kill before the rename
     * leaves a {@code .wav-*.part} file, an empty WAV, safe to delete. The open channel follows the
     * renamed file.
     */
    static WavFile create(Path directory, String base, int sampleRate, int channels, SampleFormat format) throws IOException {
        Path tmp = Files.createTempFile(directory, ".wav-", ".part");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
            WavFile f = new WavFile(tmp, ch, sampleRate, channels, format);
            f.writeHeader();
            for (int i = 0; ; i++) {
                Path p = directory.resolve(base + (i == 0 ? "" : "_" + i) + ".wav");
                try {
                    // Without REPLACE_EXISTING: an existing file is never overwritten.
                    Files.move(tmp, p);
                    f.path = p;
                    return f;
                } catch (FileAlreadyExistsException e) {
                    // Two files may start in the same millisecond (a gap, a rerun): try the next suffix.
                }
            }
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static int headerLength(SampleFormat format) {
        return format == SampleFormat.FLOAT32LE ? 58 : 44;
    }

    /** Appends {@code length} bytes of whole frames, then rewrites the header to count them. */
    void append(ByteBuffer data, int offset, int length) throws IOException {
        ByteBuffer b = data.duplicate().limit(offset + length).position(offset);
        long at = headerLength(format) + dataBytes;
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
        dataBytes += length;
        writeHeader();
    }

    private void writeHeader() throws IOException {
        boolean isFloat = format == SampleFormat.FLOAT32LE;
        int bytesPerSample = format.bytesPerSample();
        int blockAlign = channels * bytesPerSample;
        ByteBuffer h = header.clear();
        h.put((byte) 'R').put((byte) 'I').put((byte) 'F').put((byte) 'F');
        h.putInt((int) (headerLength(format) - 8 + dataBytes));
        h.put((byte) 'W').put((byte) 'A').put((byte) 'V').put((byte) 'E');
        h.put((byte) 'f').put((byte) 'm').put((byte) 't').put((byte) ' ');
        h.putInt(isFloat ? 18 : 16);
        h.putShort((short) (isFloat ? 3 : 1));
        h.putShort((short) channels);
        h.putInt(sampleRate);
        h.putInt(sampleRate * blockAlign);
        h.putShort((short) blockAlign);
        h.putShort((short) (8 * bytesPerSample));
        if (isFloat) {
            h.putShort((short) 0);
            h.put((byte) 'f').put((byte) 'a').put((byte) 'c').put((byte) 't');
            h.putInt(4);
            h.putInt((int) (dataBytes / blockAlign));
        }
        h.put((byte) 'd').put((byte) 'a').put((byte) 't').put((byte) 'a');
        h.putInt((int) dataBytes);
        h.flip();
        long at = 0;
        while (h.hasRemaining()) {
            at += channel.write(h, at);
        }
    }

    /** Sample frames written so far. */
    long frames() {
        return dataBytes / ((long) channels * format.bytesPerSample());
    }

    long dataBytes() {
        return dataBytes;
    }

    Path path() {
        return path;
    }

    int sampleRate() {
        return sampleRate;
    }

    int channels() {
        return channels;
    }

    SampleFormat format() {
        return format;
    }

    /** Forces the file to disk and closes it; its header is already final. */
    @Override
    public void close() throws IOException {
        try {
            channel.force(true);
        } finally {
            channel.close();
        }
    }
}
