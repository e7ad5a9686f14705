package io.audiosockets.audio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Raw interleaved PCM from a byte stream, typically stdin: no header, the format declared by
 * the user ({@code --samplerate}, {@code --channels}, {@code --sample-format}). Not paced: the
 * producer on the other end of the pipe is the clock (pipe {@code arecord}, {@code sox} or
 * {@code ffmpeg} into it).
 *
 * <p>Not thread-safe: owned by the capture thread, except {@link #close()}.
 */
public final class PcmStreamSource implements AudioSource {
    private final InputStream in;
    private final StreamFormat format;
    private final String name;
    private volatile boolean closed;

    /** A source reading {@code format} from {@code in}; {@code name} describes it in logs ("stdin"). */
    public PcmStreamSource(InputStream in, StreamFormat format, String name) {
        this.in = Objects.requireNonNull(in, "in == null");
        this.format = Objects.requireNonNull(format, "format == null");
        this.name = Objects.requireNonNull(name, "name == null");
    }

    @Override
    public StreamFormat format() {
        return format;
    }

    /** Reads whole frames; a trailing partial frame at the end of the stream is dropped. */
    @Override
    public int read(byte[] buffer, int offset, int frames) throws IOException {
        int frameBytes = format.frameBytes();
        int want = frames * frameBytes;
        int total = 0;
        while (total < want && !closed) {
            int r = in.read(buffer, offset + total, want - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        int n = total / frameBytes;
        return n == 0 ? -1 : n;
    }

    @Override
    public String describe() {
        return "raw PCM from " + name + " (" + format + ")";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        in.close();
    }
}
