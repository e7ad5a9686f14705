package io.audiosockets.cli;

import io.audiosockets.audio.AudioSource;
import io.audiosockets.audio.StreamFormat;
import java.io.IOException;

/** The first {@code seconds} of another source. Like every source, read by the recorder's capture thread only. */
final class LimitedSource implements AudioSource {
    private final AudioSource source;
    private final double seconds;
    private long remaining;

    LimitedSource(AudioSource source, double seconds) {
        this.source = source;
        this.seconds = seconds;
        this.remaining = Math.max(1, Math.round(seconds * source.format().sampleRate()));
    }

    @Override
    public StreamFormat format() {
        return source.format();
    }

    @Override
    public int read(byte[] buffer, int offset, int frames) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = source.read(buffer, offset, (int) Math.min(frames, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long framesLost() {
        return source.framesLost();
    }

    @Override
    public boolean isLive() {
        return source.isLive();
    }

    @Override
    public String describe() {
        return source.describe() + " (first " + seconds + " s)";
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
