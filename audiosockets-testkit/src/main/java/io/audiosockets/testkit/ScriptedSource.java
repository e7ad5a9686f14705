package io.audiosockets.testkit;

import io.audiosockets.audio.AudioSource;
import io.audiosockets.internal.audio.Pacer;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * A source of {@code chunks} chunks of 16 kHz mono PCM16, each read returning exactly one chunk
 * whose bytes are a pure function of its index ({@link #chunkBytes}), so a test can check every
 * byte a processor received against what was captured, chunk by chunk. Paced at real time or as
 * fast as the recorder reads; optionally held after a given chunk until {@link #release()}.
 */
public final class ScriptedSource implements AudioSource {
    /** 16 kHz mono 16-bit. */
    public static final StreamFormat FORMAT = new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE);

    private final int framesPerChunk;
    private final long chunks;
    private final Pacer pacer;
    private final long holdAfter;
    private final boolean live;
    private final CountDownLatch hold = new CountDownLatch(1);
    private volatile long read;
    private volatile boolean closed;

    /**
     * @param framesPerChunk frames per read; the recorder's period must be the same duration
     * @param chunks chunks before the end of the source
     * @param realTime pace reads at real time
     * @param holdAfter after this many chunks, block until {@link #release()}; -1 for never
     */
    public ScriptedSource(int framesPerChunk, long chunks, boolean realTime, long holdAfter) {
        this(framesPerChunk, chunks, realTime, holdAfter, false);
    }

    /**
     * @param live behave as a capture device ({@link AudioSource#isLive()}): the recorder then drops
     *     the oldest chunks when its buffer is full rather than hold the source back
     */
    public ScriptedSource(int framesPerChunk, long chunks, boolean realTime, long holdAfter, boolean live) {
        this.live = live;
        this.framesPerChunk = framesPerChunk;
        this.chunks = chunks;
        this.pacer = realTime ? new Pacer(FORMAT.sampleRate()) : null;
        this.holdAfter = holdAfter;
    }

    /** The bytes of chunk {@code index} (0-based): deterministic noise seeded by the index. */
    public static byte[] chunkBytes(long index, int framesPerChunk) {
        byte[] b = new byte[framesPerChunk * FORMAT.frameBytes()];
        SplittableRandom r = new SplittableRandom(0x5EED_0000L + index);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** True if {@code data} is exactly chunk {@code index}. */
    public boolean isChunk(long index, byte[] data) {
        return Arrays.equals(data, chunkBytes(index, framesPerChunk));
    }

    /** Chunks read so far. */
    public long chunksRead() {
        return read;
    }

    /** Lets a held source go on. */
    public void release() {
        hold.countDown();
    }

    @Override
    public StreamFormat format() {
        return FORMAT;
    }

    @Override
    public int read(byte[] buffer, int offset, int frames) {
        if (frames != framesPerChunk) {
            throw new IllegalStateException("the recorder asked for " + frames + " frames; this source gives chunks of "
                    + framesPerChunk + ": use the same period");
        }
        long i = read;
        if (i >= chunks || closed) {
            return -1;
        }
        try {
            if (i == holdAfter) {
                hold.await();
            }
            if (pacer != null) {
                pacer.await(i * framesPerChunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (closed) {
            return -1;
        }
        byte[] b = chunkBytes(i, framesPerChunk);
        System.arraycopy(b, 0, buffer, offset, b.length);
        read = i + 1;
        return framesPerChunk;
    }

    @Override
    public boolean isLive() {
        return live;
    }

    @Override
    public String describe() {
        return "scripted " + chunks + " chunks of " + framesPerChunk + " frames";
    }

    @Override
    public void close() {
        closed = true;
        hold.countDown();
    }
}
