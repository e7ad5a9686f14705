package io.audiosockets.loadtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scale workload's processors: P connections read from one thread. Each AUDIO frame is
 * timed from its chunk's due time (its capture time, which the recorders stamp from their
 * schedule, plus one chunk duration) to its arrival, checked to follow the previous seq of its
 * stream on that connection, and acknowledged: one cumulative ACK per stream per selector turn.
 * A GAP is counted, its chunks too, and acknowledged likewise.
 *
 * <p>Runs on its own thread ({@link #run()}); {@link #delivered()} may be read by any thread,
 * the other counters after {@link #stop()} and a join.
 */
final class RawProcessors implements Runnable {
    private final Selector selector;
    private final RawChannel[] conns;
    private final boolean oneToOne;
    private final byte[][] streamNames;
    /** Per connection and slot (one-to-one: the one stream; else the recorder's index): the next seq expected. */
    private final long[][] expect;
    private final long[][] ackSeq;
    private final boolean[][] dirty;
    private final int[][] dirtySlots;
    private final int[] dirtyCount;
    /** Per connection: in {@link #toAck}. */
    private final boolean[] queued;
    private final List<RawChannel> toAck = new ArrayList<>();
    private final long period;
    private final BenchClock clock;
    private final Latencies latency;
    private final RunContext ctx;
    private final long closeAt;
    private final RawChannel.FrameHandler onFrame = this::frame;
    private long now;
    private long gapNotices;
    private long gapChunks;
    private long skipped;
    private long duplicates;
    private volatile long delivered;
    private volatile boolean stop;

    /**
     * @param conns the processors' connections, registered with {@code selector}, WELCOME read
     * @param streams every recorder's stream name; one-to-one: processor i's is {@code streams.get(i)}
     * @param closeAt a fault for tests: at this {@link System#nanoTime()} every processor
     *     connection is closed abruptly ({@link Long#MAX_VALUE}: never)
     */
    RawProcessors(Selector selector, RawChannel[] conns, List<String> streams, boolean oneToOne, int samples, BenchClock clock,
                  Latencies latency, RunContext ctx, long closeAt) {
        this.selector = selector;
        this.conns = conns;
        this.oneToOne = oneToOne;
        this.streamNames = new byte[streams.size()][];
        for (int i = 0; i < streams.size(); i++) {
            streamNames[i] = RawWire.utf8(streams.get(i));
        }
        int slots = oneToOne ? 1 : streams.size();
        this.expect = new long[conns.length][slots];
        this.ackSeq = new long[conns.length][slots];
        this.dirty = new boolean[conns.length][slots];
        this.dirtySlots = new int[conns.length][slots];
        this.dirtyCount = new int[conns.length];
        this.queued = new boolean[conns.length];
        this.period = BenchSource.chunkDuration(samples).toNanos();
        this.clock = clock;
        this.latency = latency;
        this.ctx = ctx;
        this.closeAt = closeAt;
    }

    /** Bytes a processor's write buffer needs: an ACK for each of its streams, and a PONG. */
    static int outBytes(int streams, int longestName) {
        return Math.max(1024, streams * RawWire.ackBytes(longestName) + 64);
    }

    @Override
    public void run() {
        try {
            while (!stop) {
                selector.select(10);
                if (System.nanoTime() >= closeAt && !conns[0].closed()) {
                    Arrays.stream(conns).forEach(RawChannel::close);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    RawChannel c = (RawChannel) key.attachment();
                    if (!key.isValid() || c.closed()) {
                        continue;
                    }
                    if (key.isWritable()) {
                        c.flush();
                    }
                    if (key.isReadable()) {
                        now = System.nanoTime();
                        if (!c.read(onFrame)) {
                            ctx.fail("scale: the mailman closed processor " + c.index + "'s connection");
                            c.close();
                        }
                    }
                }
                selector.selectedKeys().clear();
                acknowledge();
            }
        } catch (IOException | RuntimeException e) {
            ctx.fail("scale: the processors' thread failed: " + e);
        }
    }

    /** One ACK per stream that moved this turn, with the highest seq it got (ACKs are cumulative, §4.5). */
    private void acknowledge() throws IOException {
        for (RawChannel c : toAck) {
            int p = c.index;
            int n = dirtyCount[p];
            int done = 0;
            for (; done < n; done++) {
                int slot = dirtySlots[p][done];
                byte[] name = streamNames[oneToOne ? p : slot];
                if (c.out.remaining() < RawWire.ackBytes(name.length)) {
                    break; // the socket is full: the rest go next turn (the same cumulative ACKs, or higher)
                }
                RawWire.ack(c.out, name, ackSeq[p][slot]);
                dirty[p][slot] = false;
            }
            System.arraycopy(dirtySlots[p], done, dirtySlots[p], 0, n - done);
            dirtyCount[p] = n - done;
            c.flush();
        }
        toAck.removeIf(c -> {
            queued[c.index] = dirtyCount[c.index] > 0;
            return !queued[c.index];
        });
    }

    private void frame(RawChannel c, ByteBuffer in, int at, int type, int length) {
        int body = at + RawWire.HEADER_BYTES;
        switch (type) {
            case RawWire.AUDIO -> {
                int slot = slot(c, in, body);
                int n = RawWire.stringBytes(in, body);
                long seq = in.getLong(body + 2 + n);
                long capture = in.getLong(body + 10 + n);
                long expected = expect[c.index][slot];
                if (seq > expected) {
                    skipped += seq - expected;
                } else if (seq < expected) {
                    duplicates++;
                }
                expect[c.index][slot] = seq + 1;
                latency.record(clock.toNanoTime(capture) + period, now);
                delivered++; // single writer: this thread
                acknowledgeLater(c, slot, seq);
            }
            case RawWire.GAP -> {
                int slot = slot(c, in, body);
                int n = RawWire.stringBytes(in, body);
                long from = in.getLong(body + 2 + n);
                long to = in.getLong(body + 10 + n);
                gapNotices++;
                gapChunks += to - from + 1;
                expect[c.index][slot] = to + 1;
                acknowledgeLater(c, slot, to);
            }
            case RawWire.PING -> {
                if (c.out.remaining() >= 16) {
                    RawWire.pong(c.out, in.getLong(body));
                    queue(c); // flushed with the ACKs
                }
            }
            case RawWire.ERROR -> {
                ctx.fail("scale: the mailman sent processor " + c.index + " ERROR " + RawWire.error(in, at));
                c.close();
            }
            default -> {
                // WELCOME was read during the handshake; BYE and others: nothing to do
            }
        }
    }

    /** The slot of the stream named at {@code body}: its recorder's index, or 0 for a one-to-one processor's own stream. */
    private int slot(RawChannel c, ByteBuffer in, int body) {
        int recorder = RawWire.trailingNumber(in, body);
        if (oneToOne) {
            if (recorder != c.index) {
                throw new IllegalStateException("processor " + c.index + " received stream " + RawWire.string(in, body)
                        + ", which it did not subscribe to");
            }
            return 0;
        }
        if (recorder < 0 || recorder >= streamNames.length) {
            throw new IllegalStateException("processor " + c.index + " received an unknown stream " + RawWire.string(in, body));
        }
        return recorder;
    }

    private void acknowledgeLater(RawChannel c, int slot, long seq) {
        int p = c.index;
        ackSeq[p][slot] = seq;
        if (!dirty[p][slot]) {
            dirty[p][slot] = true;
            queue(c);
            dirtySlots[p][dirtyCount[p]++] = slot;
        }
    }

    private void queue(RawChannel c) {
        if (!queued[c.index]) {
            queued[c.index] = true;
            toAck.add(c);
        }
    }

    /** AUDIO frames received so far, all processors together. */
    long delivered() {
        return delivered;
    }

    /** GAP notices received. */
    long gapNotices() {
        return gapNotices;
    }

    /** Chunks the GAP notices covered. */
    long gapChunks() {
        return gapChunks;
    }

    /** Seqs that were skipped without a GAP notice (silent loss: must be 0). */
    long silentSkips() {
        return skipped;
    }

    /** Chunks received again or out of order (must be 0). */
    long duplicates() {
        return duplicates;
    }

    /** Asks the thread to end after its current turn. */
    void stop() {
        stop = true;
        selector.wakeup();
    }
}
