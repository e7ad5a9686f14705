package io.audiosockets.audio;

import io.audiosockets.internal.audio.Pacer;
import io.audiosockets.internal.audio.PcmConverter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * A WAV (or AIFF, AU) file read through {@code javax.sound.sampled}, paced to real time as if it
 * came from a microphone, optionally looping. 16-bit files are sent as 16-bit PCM, bit for bit;
 * other sample sizes are converted to 32-bit float (see {@link PcmConverter}).
 *
 * <p>Not thread-safe: owned by the capture thread, except {@link #close()}.
 */
public final class WavFileSource implements AudioSource {
    private final Path file;
    private final boolean loop;
    private final Pacer pacer;
    private final PcmConverter converter;
    private final StreamFormat format;
    private AudioInputStream in;
    private byte[] scratch = new byte[0];
    private long framesDelivered;
    private volatile boolean closed;

    /**
     * Opens {@code file}.
     *
     * @param realTime pace reads to real time (false: as fast as they are asked for)
     * @param loop start again at the end instead of ending
     * @throws IOException naming the file if it is missing, unreadable or not audio we can read
     */
    public WavFileSource(Path file, boolean realTime, boolean loop) throws IOException {
        this.file = file;
        this.loop = loop;
        this.in = open(file);
        try {
            this.converter = PcmConverter.forFormat(in.getFormat());
        } catch (IllegalArgumentException e) {
            in.close();
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        this.format = new StreamFormat(Math.round(in.getFormat().getSampleRate()), in.getFormat().getChannels(), converter.target());
        this.pacer = realTime ? new Pacer(format.sampleRate()) : null;
    }

    private static AudioInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "audio file not found");
        }
        try {
            return AudioSystem.getAudioInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(file + ": not an audio file javax.sound can read (" + e.getMessage() + "); use a WAV file", e);
        }
    }

    @Override
    public StreamFormat format() {
        return format;
    }

    @Override
    public int read(byte[] buffer, int offset, int frames) throws IOException {
        if (closed) {
            return -1;
        }
        int need = frames * converter.inputFrameBytes();
        if (scratch.length < need) {
            scratch = new byte[need];
        }
        int got = readFully(scratch, need);
        if (got == 0 && loop) {
            in.close();
            in = open(file);
            got = readFully(scratch, need);
        }
        int n = got / converter.inputFrameBytes();
        if (n == 0) {
            return -1;
        }
        if (pacer != null) {
            try {
                pacer.await(framesDelivered + n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("WAV source interrupted");
            }
        }
        converter.convert(scratch, 0, buffer, offset, n);
        framesDelivered += n;
        return n;
    }

    private int readFully(byte[] b, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(b, total, len - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    @Override
    public String describe() {
        return "WAV file " + file + " (" + format + (loop ? ", looping" : "") + (pacer == null ? ", unpaced" : "") + ")";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        in.close();
    }
}
