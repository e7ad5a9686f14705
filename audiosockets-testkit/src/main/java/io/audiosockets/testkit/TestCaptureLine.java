package io.audiosockets.testkit;

import java.time.Duration;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

/**
 * A capture line that behaves as a sound card's: from {@link #start()} it captures
 * {@link TestSignal} at real-time pace (frame i is captured sampleRate-th of a second after frame
 * i-1), keeps at most its buffer, drops the oldest frames when the reader is late, and blocks
 * {@link #read} until the frames asked for are captured or the line is stopped or closed.
 *
 * <p>Faults on demand: {@link #overrun(long)} loses frames as an overflowing buffer would,
 * {@link #stallReader(Duration)} holds the reader up so the buffer really overflows,
 * {@link #fail()} stops delivering as an unplugged device does (reads return short, the line
 * stays open, as the JDK's ALSA lines do). {@link #setCountsDroppedFrames(boolean) setCountsDroppedFrames(false)}
 * models a driver whose frame position leaves dropped frames out.
 *
 * <p>Thread-safe (guarded by {@code this}).
 */
public final class TestCaptureLine extends PlainLine implements TargetDataLine {
    private final TestMixer mixer;
    private AudioFormat format;
    private int frameBytes;
    private int bufferFrames;
    private boolean open;
    private boolean running;
    private boolean failed;
    private long startNanos = -1;
    /** Timeline frame the next read delivers. */
    private long readPos;
    private long delivered;
    private long dropped;
    private long pendingOverrun;
    private long stallNanos;
    private boolean countsDroppedFrames = true;
    private int closes;

    TestCaptureLine(TestMixer mixer, AudioFormat format) {
        this.mixer = mixer;
        this.format = format;
    }

    /** Loses {@code frames} frames right after the last frame read (before the next read), as a buffer overflow does. */
    public synchronized void overrun(long frames) {
        pendingOverrun += frames;
    }

    /** Holds up the reader for {@code d} in its next position query, while the line keeps capturing. */
    public synchronized void stallReader(Duration d) {
        stallNanos = d.toNanos();
    }

    /** Stops delivering, as an unplugged device: reads return what they have, then nothing. */
    public synchronized void fail() {
        failed = true;
        notifyAll();
    }

    /** False: the frame position counts only frames delivered or still buffered, not those dropped. */
    public synchronized void setCountsDroppedFrames(boolean counts) {
        countsDroppedFrames = counts;
    }

    /** Frames lost so far (overruns, injected or real). */
    public synchronized long droppedFrames() {
        return dropped;
    }

    /** Times {@link #close()} was called while open. */
    public synchronized int closes() {
        return closes;
    }

    private long captured() {
        if (startNanos < 0) {
            return 0;
        }
        long elapsed = System.nanoTime() - startNanos;
        return elapsed / 1_000_000_000L * rate() + elapsed % 1_000_000_000L * rate() / 1_000_000_000L;
    }

    private int rate() {
        return Math.round(format.getSampleRate());
    }

    /** Applies injected overruns and drops what no longer fits in the buffer. Never called in the middle of a read. */
    private void settle() {
        if (pendingOverrun > 0) {
            readPos += pendingOverrun;
            dropped += pendingOverrun;
            pendingOverrun = 0;
        }
        long cap = captured();
        if (cap - readPos > bufferFrames) {
            dropped += cap - bufferFrames - readPos;
            readPos = cap - bufferFrames;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len % frameBytes != 0) {
            throw new IllegalArgumentException("len " + len + " is not a whole number of " + frameBytes + "-byte frames");
        }
        int want = len / frameBytes;
        int got = 0;
        synchronized (this) {
            settle();
            while (got < want) {
                if (!open || !running || failed) {
                    break;
                }
                long cap = captured();
                long ready = Math.min(cap - readPos, want - got);
                if (ready > 0) {
                    for (int i = 0; i < ready; i++) {
                        writeFrame(readPos + i, b, off + (got + i) * frameBytes);
                    }
                    readPos += ready;
                    got += (int) ready;
                    delivered += ready;
                    continue;
                }
                long nanosToNext = ((readPos + 1) * 1_000_000_000L / rate()) - (System.nanoTime() - startNanos);
                try {
                    wait(Math.max(1, nanosToNext / 1_000_000), (int) Math.max(0, nanosToNext % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return got * frameBytes;
    }

    private void writeFrame(long frame, byte[] b, int at) {
        int bytes = format.getSampleSizeInBits() / 8;
        boolean floating = AudioFormat.Encoding.PCM_FLOAT.equals(format.getEncoding());
        boolean unsigned = AudioFormat.Encoding.PCM_UNSIGNED.equals(format.getEncoding());
        for (int ch = 0; ch < format.getChannels(); ch++) {
            long v = floating ? Float.floatToRawIntBits(TestSignal.floatSample(frame, ch))
                    : TestSignal.sample(frame, ch, bytes * 8) + (unsigned ? 1L << (bytes * 8 - 1) : 0);
            for (int k = 0; k < bytes; k++) {
                int shift = 8 * (format.isBigEndian() ? bytes - 1 - k : k);
                b[at + ch * bytes + k] = (byte) (v >> shift);
            }
        }
    }

    @Override
    public long getLongFramePosition() {
        long stall;
        synchronized (this) {
            stall = stallNanos;
            stallNanos = 0;
        }
        if (stall > 0) {
            long until = System.nanoTime() + stall;
            for (long left = stall; left > 0; left = until - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left); // the reader is late: that is the fault injected
            }
        }
        synchronized (this) {
            settle();
            long cap = captured();
            return countsDroppedFrames ? Math.max(cap, readPos) : delivered + Math.max(0, Math.min(cap - readPos, bufferFrames));
        }
    }

    @Override
    public synchronized int available() {
        settle();
        return (int) Math.max(0, Math.min(captured() - readPos, bufferFrames)) * frameBytes;
    }

    @Override
    public synchronized void open(AudioFormat f, int bufferSize) throws LineUnavailableException {
        if (open) {
            return;
        }
        if (!mixer.lineInfo().isFormatSupported(f) || f.getSampleRate() == AudioSystem.NOT_SPECIFIED
                || f.getChannels() == AudioSystem.NOT_SPECIFIED) {
            throw new IllegalArgumentException(mixer.getMixerInfo().getName() + " does not support " + f);
        }
        format = f;
        frameBytes = f.getFrameSize();
        bufferFrames = Math.max(1, (bufferSize > 0 ? bufferSize : (int) (f.getSampleRate() / 2) * frameBytes) / frameBytes);
        open = true;
    }

    @Override
    public void open(AudioFormat f) throws LineUnavailableException {
        open(f, AudioSystem.NOT_SPECIFIED);
    }

    @Override
    public void open() throws LineUnavailableException {
        open(format);
    }

    @Override
    public synchronized void start() {
        if (open && startNanos < 0) {
            startNanos = System.nanoTime();
        }
        running = open;
        notifyAll();
    }

    @Override
    public synchronized void stop() {
        running = false;
        notifyAll();
    }

    @Override
    public synchronized void close() {
        if (open) {
            closes++;
        }
        open = false;
        running = false;
        notifyAll();
    }

    @Override
    public synchronized void flush() {
        readPos = Math.max(readPos, captured());
    }

    @Override
    public void drain() {
        // a capture line has nothing to drain
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized boolean isActive() {
        return running;
    }

    @Override
    public synchronized AudioFormat getFormat() {
        return format;
    }

    @Override
    public synchronized int getBufferSize() {
        return bufferFrames * frameBytes;
    }

    @Override
    public int getFramePosition() {
        return (int) getLongFramePosition();
    }

    @Override
    public long getMicrosecondPosition() {
        return getLongFramePosition() * 1_000_000L / rate();
    }

    @Override
    public float getLevel() {
        return AudioSystem.NOT_SPECIFIED;
    }

    @Override
    public Line.Info getLineInfo() {
        return new DataLine.Info(TargetDataLine.class, getFormat());
    }
}
