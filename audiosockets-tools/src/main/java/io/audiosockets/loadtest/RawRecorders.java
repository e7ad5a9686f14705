package io.audiosockets.loadtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The scale workload's recorders: R streams at real time from one thread. Recorder i's chunk k
 * covers the capture interval starting at {@code t0 + i * period / R + k * period} (the phases
 * spread evenly over one chunk duration, as independent microphones would be) and is due when
 * that interval ends; it is sent then, stamped with that capture time, unless the recorder's
 * window of unacknowledged chunks is full ({@code ACK_WINDOW}), in which case it waits for an
 * ACK and counts as late. Chunks due from {@code scheduleEnd} on are not made.
 *
 * <p>Runs on its own thread ({@link #run()}); the counters read by other threads are volatile.
 */
final class RawRecorders implements Runnable {
    private final RawChannel[] conns;
    private final byte[][] frames;
    private final int[] nameBytes;
    private final long[] next;
    private final long[] acked;
    private final long[] due;
    private final boolean[] blocked;
    private final int window;
    private final long t0;
    private final long period;
    private final long scheduleEnd;
    private final BenchClock clock;
    private final Latencies sendLag;
    private final RunContext ctx;
    private final Selector selector;
    private final RawChannel.FrameHandler onFrame = this::frame;
    /** The next chunk of the round-robin schedule: recorder {@code cursor % R}, its chunk {@code cursor / R}. */
    private long cursor;
    private long windowStalls;
    private long late;
    private volatile long sent;
    private volatile long scheduled = -1;
    private volatile boolean stop;

    /**
     * @param conns the recorders' connections, registered with {@code selector}, WELCOME read
     * @param streams their stream names, in the same order
     * @param samples samples per chunk
     * @param window ACK_WINDOW: most chunks sent and not yet acknowledged, per recorder
     * @param t0 start of recorder 0's first capture interval ({@link System#nanoTime()})
     * @param scheduleEnd chunks due from then on are not made
     * @param sendLag how late each chunk was written, against its due time
     */
    RawRecorders(Selector selector, RawChannel[] conns, List<String> streams, int samples, int window, long t0, long scheduleEnd,
                 BenchClock clock, Latencies sendLag, RunContext ctx) {
        int r = conns.length;
        this.selector = selector;
        this.conns = conns;
        this.frames = new byte[r][];
        this.nameBytes = new int[r];
        for (int i = 0; i < r; i++) {
            frames[i] = RawWire.audioTemplate(streams.get(i), samples);
            nameBytes[i] = RawWire.utf8(streams.get(i)).length;
        }
        this.next = new long[r];
        this.acked = new long[r];
        Arrays.fill(acked, -1);
        this.due = new long[r];
        this.blocked = new boolean[r];
        this.window = window;
        this.t0 = t0;
        this.period = BenchSource.chunkDuration(samples).toNanos();
        this.scheduleEnd = scheduleEnd;
        this.clock = clock;
        this.sendLag = sendLag;
        this.ctx = ctx;
    }

    /** Bytes a recorder's write buffer needs: a few chunks. */
    static int outBytes(int samples) {
        return Math.max(16 * 1024, 2 * (64 + 4 * samples + 128));
    }

    private long captureStart(int i, long k) {
        return t0 + i * period / conns.length + k * period;
    }

    @Override
    public void run() {
        try {
            while (!stop) {
                long now = System.nanoTime();
                advance(now);
                long wait = scheduled >= 0 ? 50_000_000L : captureStart((int) (cursor % conns.length), cursor / conns.length) + period - now;
                if (wait <= 0) {
                    selector.selectNow();
                } else if (wait >= 2_000_000L) {
                    // Selector timeouts are whole milliseconds: wake a little early and park the rest below.
                    selector.select(wait / 1_000_000L - 1);
                } else {
                    // The last stretch to a chunk's due time parked, not selected: a select rounded up to the next
                    // millisecond wrote chunks up to 1 ms late (p50 +0.5 ms) whenever no ACK happened to wake it.
                    LockSupport.parkNanos(wait);
                    selector.selectNow();
                }
                now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    RawChannel c = (RawChannel) key.attachment();
                    if (!key.isValid() || c.closed()) {
                        continue;
                    }
                    if (key.isWritable()) {
                        c.flush();
                    }
                    if (key.isReadable() && !c.read(onFrame)) {
                        ctx.fail("scale: the mailman closed recorder " + c.index + "'s connection");
                        c.close();
                        continue;
                    }
                    send(c.index, now);
                    if (c.out.position() > 0) {
                        c.flush(); // a PONG or a REPLAY_ANSWER
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            ctx.fail("scale: the recorders' thread failed: " + e);
        }
    }

    /** Makes every chunk due by {@code now} (and before the schedule's end) and sends what the windows allow. */
    private void advance(long now) {
        int r = conns.length;
        while (scheduled < 0) {
            int i = (int) (cursor % r);
            long k = cursor / r;
            long dueAt = captureStart(i, k) + period;
            if (dueAt >= scheduleEnd) {
                scheduled = cursor;
                break;
            }
            if (dueAt > now) {
                break;
            }
            due[i] = k + 1;
            cursor++;
            send(i, now);
        }
    }

    private void send(int i, long now) {
        RawChannel c = conns[i];
        if (c.closed()) {
            return;
        }
        boolean wrote = false;
        try {
            while (next[i] < due[i]) {
                if (next[i] - 1 - acked[i] >= window) {
                    if (!blocked[i]) {
                        blocked[i] = true;
                        windowStalls++;
                    }
                    break;
                }
                byte[] frame = frames[i];
                if (c.out.remaining() < frame.length) {
                    c.flush();
                    if (c.out.remaining() < frame.length) {
                        break; // the socket is full: OP_WRITE brings us back
                    }
                }
                long seq = next[i];
                long start = captureStart(i, seq);
                int at = c.out.position();
                c.out.put(frame);
                RawWire.stamp(c.out, at, nameBytes[i], seq, clock.toEpochNanos(start));
                sendLag.record(start + period, now);
                if (now - (start + period) > period) {
                    late++;
                }
                next[i] = seq + 1;
                blocked[i] = false;
                wrote = true;
                sent++; // single writer: this thread
            }
            if (wrote) {
                c.flush();
            }
        } catch (IOException e) {
            ctx.fail("scale: recorder " + i + " could not write: " + e.getMessage());
            c.close();
        }
    }

    private void frame(RawChannel c, ByteBuffer in, int at, int type, int length) {
        int i = c.index;
        switch (type) {
            case RawWire.ACK -> acked[i] = Math.max(acked[i], in.getLong(at + RawWire.HEADER_BYTES + 2 + RawWire.stringBytes(in, at + RawWire.HEADER_BYTES)));
            case RawWire.PING -> {
                if (c.out.remaining() >= 16) {
                    RawWire.pong(c.out, in.getLong(at + RawWire.HEADER_BYTES));
                }
            }
            case RawWire.REPLAY -> {
                int n = RawWire.stringBytes(in, at + RawWire.HEADER_BYTES);
                if (c.out.remaining() >= 64 + n) {
                    RawWire.emptyReplayAnswer(c.out, RawWire.utf8(RawWire.string(in, at + RawWire.HEADER_BYTES)),
                            in.getLong(at + RawWire.HEADER_BYTES + 2 + n + 8));
                }
            }
            case RawWire.ERROR -> {
                ctx.fail("scale: the mailman sent recorder " + i + " ERROR " + RawWire.error(in, at));
                c.close();
            }
            default -> {
                // WELCOME was read during the handshake; BYE and anything else: nothing to do for a recorder
            }
        }
    }

    /** Chunks written so far, all recorders together. */
    long sent() {
        return sent;
    }

    /** Chunks the schedule made in all (due before its end), or -1 while it still runs. */
    long scheduled() {
        return scheduled;
    }

    /** Times a recorder had a chunk due and its window full (each episode once). Read after {@link #stop()} and a join. */
    long windowStalls() {
        return windowStalls;
    }

    /** Chunks written more than one chunk duration after they were due. Read after {@link #stop()} and a join. */
    long late() {
        return late;
    }

    /** Asks the thread to end after its current turn. */
    void stop() {
        stop = true;
        selector.wakeup();
    }
}
