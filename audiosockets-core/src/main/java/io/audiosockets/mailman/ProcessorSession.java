package io.audiosockets.mailman;

import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.StreamFrame;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registered processor's connection: one cursor per subscribed stream, each reading the
 * stream's {@link StreamLog} at this processor's own pace.
 *
 * <p>A cursor advances while the channel is writable and fewer than {@code window} of its
 * chunks are unacknowledged; otherwise it simply waits, and nothing piles up for this processor
 * anywhere. If it waits longer than the retention, its next read yields a {@link Gap} for
 * exactly the evicted range and it continues from the oldest retained chunk. The frames written
 * are retained duplicates of the recorder's own bytes: nothing is copied per processor. A cursor
 * whose stream has ended ({@link StreamLog#end()}) takes its last gap, if it was behind, and once
 * everything sent is acknowledged it is dropped and its position kept for the stream's return.
 *
 * <p>One per channel, confined to its event loop; {@link #wake()}, {@link #attachNewStream} and
 * {@link #replace()} may be called from any thread and only schedule work on that loop.
 */
final class ProcessorSession extends NamedSession {
    private static final Logger log = LoggerFactory.getLogger(ProcessorSession.class);
    /** Chunks read from a log under one lock acquisition. */
    private static final int READ_BATCH = 64;
    /** Cursor position meaning "from the first chunk the log will hold". */
    private static final long FROM_FIRST = -1;

    private final MailmanContext mailman;
    private final Channel channel;
    private final Hello hello;
    private final long sessionId;
    private final String label;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final Runnable pumpTask = this::pumpWoken;
    /**
     * The logs with something new for this processor since its last pump, queued from any thread
     * (each at most once: {@code wokenSet}): a pump visits only their cursors, so a processor of a
     * thousand streams pays for the stream that moved, not for all of them.
     */
    private final Queue<StreamLog> woken = PlatformDependent.newMpscQueue(); // many wakers, one reader (the loop); no node per offer
    private final Set<StreamLog> wokenSet = ConcurrentHashMap.newKeySet();
    /**
     * Event-loop confined: the cursors that had room in their window but were held back by
     * MAX_UNACKED_BYTES, which all streams share, in the order they were held. An acknowledgement
     * serves them from the front as far as the bytes it freed go: a processor of a thousand streams
     * that is behind pays per ACK for what the ACK lets through, not for a visit to every cursor
     * (which took half the mailman's time at 1,000 streams into one processor), and no stream
     * waits behind the ones that happen to come first in the map.
     */
    private final ArrayDeque<Cursor> held = new ArrayDeque<>();
    /** Event-loop confined: whether the pump under way wrote anything (one flush at its end). */
    private boolean wrote;
    /** Event-loop confined: whether the ACKs of the read under way had frames written, flushed once the read is done. */
    private boolean flushAfterRead;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private final List<Message> batch = new ArrayList<>(READ_BATCH + 2);
    /** Positions in streams this connection does not read now (not subscribed, or ended), kept for later. */
    private final Map<String, Registry.Position> carried = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Registry.Position> eldest) {
            return size() > Registry.MAX_ENDED; // a processor reading every stream sees many end: keep the latest
        }
    };
    /** Streams whose HELLO position has been used (at most the HELLO's positions). */
    private final Set<String> positionsUsed = new HashSet<>();
    private ChannelHandlerContext ctx;
    /** Sum of the cursors' {@code unackedBytes}, kept current so that no pump has to visit every cursor for it. */
    private long unackedBytes;
    /** For status: when this connection was accepted, and what it has been sent. Event-loop confined. */
    private final Instant connectedAt = Instant.now();
    private long delivered;
    private long gapsSent;
    private long gapChunksSent;

    /** Where this processor stands in one stream. Event-loop confined. */
    private static final class Cursor {
        final StreamLog log;
        long next;
        long acked;
        final long redeliverUpTo;
        /** Encoded size of the last chunk sent: the stream's chunk size, for MAX_UNACKED_BYTES. */
        int frameBytes;
        /** This cursor's share of {@code unackedBytes}: chunks in flight times the chunk size. */
        long unackedBytes;
        /** The last gap of an ended stream, once written and until it counts as acknowledged; -1 if none. */
        long endGapFrom = -1;
        long endGapTo = -1;
        /** When it was last reported as behind (ticker time), or 0 while it is not behind. */
        long lagReportedNanos;
        /** Whether it is in {@code held}. */
        boolean held;

        long inFlight() {
            return next - 1 - acked;
        }

        Cursor(StreamLog log, long next, long redeliverUpTo) {
            this.log = log;
            this.next = next;
            this.acked = next - 1;
            this.redeliverUpTo = redeliverUpTo;
        }
    }

    ProcessorSession(MailmanContext mailman, Channel channel, Hello hello, long sessionId, String label) {
        super(channel, "processor");
        this.mailman = mailman;
        this.channel = channel;
        this.hello = hello;
        this.sessionId = sessionId;
        this.label = label;
    }

    String name() {
        return hello.name();
    }

    @Override
    public long instanceId() {
        return hello.instanceId();
    }

    /** The positions its HELLO asked for, by stream. */
    Map<String, Long> explicitPositions() {
        return hello.positions();
    }

    boolean subscribes(String stream) {
        return hello.subscriptions().isEmpty() || hello.subscriptions().contains(stream);
    }

    /**
     * Whether this processor reads {@code streamLog}: it subscribes to the stream, and can read
     * what the stream carries (a processor of protocol version 1 knows no RECORD frame, so it is
     * never sent a result stream, PROTOCOL.md §9; one that named such a stream is told why in the log).
     */
    boolean receives(StreamLog streamLog) {
        if (!subscribes(streamLog.stream())) {
            return false;
        }
        if (streamLog.kind() == StreamLog.Kind.RECORDS && hello.version() < 2) {
            if (hello.subscriptions().contains(streamLog.stream())) {
                log.warn("{}: subscribes to result stream '{}', but speaks protocol version {}, which has no RECORD frames: it "
                        + "receives nothing of it. Use a client of version 2", label, streamLog.stream(), hello.version());
            }
            return false;
        }
        return true;
    }

    // Called from the handshake, on this channel's event loop.
    void register(ChannelHandlerContext handshakeCtx, HandshakeHandler handshake) {
        Map<StreamLog, Registry.Position> initial = new HashMap<>();
        Registry.Claim claim = mailman.registry.claimProcessor(this, initial, carried);
        if (!granted(claim, handshakeCtx, handshake, "processor name '" + hello.name() + "'", label,
                () -> register(handshakeCtx, handshake))) {
            return;
        }
        handshakeCtx.pipeline().replace(handshake, "session", this);
        channel.attr(MailmanContext.LABEL).set(label);
        // Cursors first, WELCOME second: a chunk stored after the processor was told it is registered
        // must be one its cursor sees. Both run on this event loop, so no AUDIO can precede WELCOME.
        List<String> resumed = new ArrayList<>();
        initial.forEach((streamLog, parked) -> {
            attach(streamLog, parked, true);
            if (parked != null && hello.start().mode() == StartPosition.Mode.RESUME) {
                resumed.add(streamLog.stream() + "@" + parked.next());
            }
        });
        // The event before WELCOME: whatever the client does once welcomed comes after its joining, for watchers too.
        mailman.events.record(MailmanEvent.Kind.PROCESSOR_JOINED, hello.name(), "", label + " connected (streams: "
                + (hello.subscriptions().isEmpty() ? "all" : String.join(", ", hello.subscriptions())) + ")");
        ctx.writeAndFlush(new Welcome(mailman.serverName, sessionId, mailman.config.maxFrameBytes(),
                (int) mailman.config.heartbeat().toMillis(), -1));
        log.info("{} registered (streams: {}, start: {}{}, window {})", label,
                hello.subscriptions().isEmpty() ? "all" : hello.subscriptions(), hello.start().mode(),
                resumed.isEmpty() ? "" : ", resuming " + resumed, hello.window());
        pump();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // Called from the recorder's event loop (via the registry): a stream appeared after we registered.
    void attachNewStream(StreamLog streamLog) {
        channel.eventLoop().execute(() -> {
            if (registered()) {
                attach(streamLog, null, false);
                Cursor c = cursors.get(streamLog.stream());
                if (c != null) {
                    pumpOne(streamLog.stream(), c);
                }
            }
        });
    }

    private void attach(StreamLog streamLog, Registry.Position parked, boolean existedAtRegistration) {
        String stream = streamLog.stream();
        Cursor old = cursors.get(stream);
        if (old != null && (old.log == streamLog || !old.log.ended())) {
            return;
        }
        if (old != null) {
            // The stream ended and came back before this cursor was done with the old log: it goes on in the
            // new one as it stood, chunks in flight included, and the new log tells it what it missed.
            old.log.removeReader(this);
            Cursor c = new Cursor(streamLog, old.next == FROM_FIRST ? old.log.origin() : old.next, old.redeliverUpTo);
            c.acked = old.next == FROM_FIRST ? c.next - 1 : old.acked;
            c.endGapFrom = old.endGapFrom;
            c.endGapTo = old.endGapTo;
            c.frameBytes = old.frameBytes;
            c.unackedBytes = old.unackedBytes; // its share of unackedBytes moves with it
            cursors.put(stream, c);
            streamLog.addReader(this);
            return;
        }
        Long explicit = hello.positions().get(stream);
        if (explicit != null && !positionsUsed.add(stream)) {
            explicit = null; // where to start, once: not again each time the stream ends and comes back
        }
        Registry.Position left = carried.remove(stream);
        if (left != null && !streamLog.continuesEndedStream()) {
            left = null; // the stream starts from 0 again (its end was forgotten too): the old place means nothing
        }
        long next;
        long redeliverUpTo = -1;
        if (explicit != null) {
            next = explicit;
        } else if (left != null) {
            next = left.next(); // where this connection stood when the stream ended
        } else if (parked != null && hello.start().mode() == StartPosition.Mode.RESUME) {
            next = parked.next();
            redeliverUpTo = parked.sentUpTo();
        } else if (!existedAtRegistration || streamLog.origin() < 0) {
            next = FROM_FIRST;
        } else {
            StartPosition start = hello.start();
            next = switch (start.mode()) {
                // Clients started together retry at RECONNECT_SECONDS each: what a recorder sent just before this
                // processor got in (its backlog, flushed at connect) is what it would have had, had it been first.
                case RESUME -> streamLog.seqArrivedSince(mailman.ticker.nanoTime() - joinGraceNanos());
                case LIVE -> streamLog.nextSeq();
                case OLDEST -> streamLog.coveredFrom();
                case SECONDS_BACK -> streamLog.seqBack(start.back());
            };
        }
        cursors.put(stream, new Cursor(streamLog, next, redeliverUpTo));
        streamLog.addReader(this);
    }

    /**
     * How far back a processor that registers with RESUME and no position in a stream starts: the
     * chunks that reached the mailman within twice the reconnect interval, so that clients started
     * in any order, each retrying every RECONNECT_SECONDS, see the same chunks (PROTOCOL.md §5.5).
     */
    private long joinGraceNanos() {
        return 2 * mailman.config.reconnectInterval().toNanos();
    }

    /**
     * Counts the last gap of an ended stream as acknowledged once every chunk before it is. A
     * processor need not acknowledge a gap (the ACK of the chunk after it covers it, §5.4), but no
     * chunk follows this one until the stream returns, and its range must not hold the window
     * shut against the chunks of that return.
     */
    private static void settleEndGap(Cursor c) {
        if (c.endGapFrom >= 0 && c.acked >= c.endGapFrom - 1) {
            c.acked = Math.max(c.acked, c.endGapTo);
            c.endGapFrom = -1;
        }
    }

    /**
     * Whether {@code c} is done with its stream: the log ended, everything in it was sent (its
     * last gap included) and acknowledged. Until then the cursor stays, so that what is in flight
     * is still acknowledged, parked or carried over to the stream's next log.
     */
    private static boolean done(Cursor c) {
        return c.log.ended() && c.next != FROM_FIRST && c.next >= c.log.nextSeq() && c.acked >= c.next - 1;
    }

    /**
     * Stops reading {@code c}'s ended stream and keeps where it stood, for a later log of the
     * stream on this connection, or parked for the next connection of this processor.
     */
    private void drop(String stream, Cursor c) {
        c.log.removeReader(this);
        unackedBytes -= c.unackedBytes;
        carried.put(stream, new Registry.Position(c.next, c.next - 1));
    }

    // Called from any thread: {@code log} has something new (chunks, a replay's answer, its end).
    void wake(StreamLog log) {
        if (wokenSet.add(log)) {
            woken.offer(log);
        }
        schedulePump();
    }

    private void schedulePump() {
        if (wakeScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(pumpTask);
        }
    }

    /** The pump a wake-up schedules: the woken logs' cursors only. */
    private void pumpWoken() {
        wakeScheduled.set(false);
        if (!registered() || !channel.isActive()) {
            return;
        }
        wrote = false;
        pumpHeld();
        for (StreamLog l; (l = woken.poll()) != null; ) {
            wokenSet.remove(l); // before reading it: what comes meanwhile wakes it again
            Cursor c = cursors.get(l.stream());
            if (c != null && c.log == l && pumpCursor(l.stream(), c)) {
                cursors.remove(l.stream());
            }
        }
        finishPump();
    }

    /** Writes what one cursor may send now (an acknowledgement of its stream made room), and flushes. */
    private void pumpOne(String stream, Cursor c) {
        if (!registered() || !channel.isActive()) {
            return;
        }
        wrote = false;
        if (pumpCursor(stream, c)) {
            cursors.remove(stream);
        }
        finishPump();
    }

    /** Writes what each cursor may send now; one flush for all. */
    private void pump() {
        for (StreamLog l; (l = woken.poll()) != null; ) {
            wokenSet.remove(l); // every cursor is looked at below
        }
        if (!registered() || !channel.isActive()) {
            return;
        }
        wrote = false;
        pumpHeld(); // the cursors held back by the shared bytes first, in their turn
        for (Iterator<Map.Entry<String, Cursor>> it = cursors.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Cursor> e = it.next();
            if (pumpCursor(e.getKey(), e.getValue())) {
                it.remove();
            }
        }
        finishPump();
    }

    /**
     * Writes, in the order they were held, what the held-back cursors may send now, as far as
     * MAX_UNACKED_BYTES allows (without flushing); a cursor held again goes to the back.
     */
    private void pumpHeld() {
        for (Cursor h; (h = held.peek()) != null && channel.isWritable(); ) {
            String stream = h.log.stream();
            if (cursors.get(stream) != h) {
                // Dropped, or replaced by the stream's next log: its in-flight count is frozen, and left at the front it
                // would hold the queue for good.
                held.poll();
                h.held = false;
                continue;
            }
            if (roomInBytes(h) <= 0) {
                break;
            }
            held.poll();
            h.held = false;
            if (pumpCursor(stream, h)) {
                cursors.remove(stream);
            }
        }
    }

    private void finishPump() {
        batch.clear();
        if (wrote) {
            ctx.flush();
        }
    }

    /**
     * Writes what {@code c} may send now (without flushing). Returns true when the cursor is
     * finished with its stream and must leave {@link #cursors}; it has then left its log's readers.
     */
    private boolean pumpCursor(String stream, Cursor c) {
        if (c.next == FROM_FIRST) {
            // From the log's origin, not its oldest retained chunk: a cursor placed late hears of what it missed.
            long first = c.log.origin();
            if (first < 0) {
                if (c.log.ended()) {
                    c.log.removeReader(this); // the stream came and went without a chunk: nothing to tell
                    return true;
                }
                return false;
            }
            c.next = first;
            c.acked = first - 1;
        }
        while (channel.isWritable()) {
            long windowRoom = hello.window() - c.inFlight();
            long room = Math.min(windowRoom, roomInBytes(c));
            if (room <= 0) {
                if (windowRoom > 0 && !c.held) {
                    c.held = true; // MAX_UNACKED_BYTES, shared by all streams, holds it: its turn comes with an ACK
                    held.add(c);
                }
                break;
            }
            batch.clear();
            long next = c.log.read(c.next, (int) Math.min(room, READ_BATCH), batch);
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                write(c, m);
            }
            // Only an ended log's read can end with a gap: any other gap comes with the chunk that follows it.
            if (batch.get(batch.size() - 1) instanceof GapFrame end) {
                c.endGapFrom = end.gap().fromSeq();
                c.endGapTo = end.gap().toSeq();
            }
            c.next = next;
            settleEndGap(c);
            account(c);
            wrote = true;
        }
        if (done(c)) {
            drop(stream, c);
            return true;
        }
        return false;
    }

    /**
     * Chunks of {@code c} that fit under MAX_UNACKED_BYTES, counting every stream's chunks in
     * flight at its chunk size. One chunk is always allowed when none is in flight, so a chunk
     * larger than the cap still flows, one at a time.
     */
    private long roomInBytes(Cursor c) {
        if (c.frameBytes == 0) {
            return READ_BATCH;
        }
        long room = (mailman.config.limits().maxUnackedBytes() - unackedBytes) / c.frameBytes;
        return c.inFlight() == 0 ? Math.max(1, room) : room;
    }

    /** Brings {@code c}'s share of {@link #unackedBytes} up to date after its position, acknowledgement or chunk size moved. */
    private void account(Cursor c) {
        unackedBytes -= c.unackedBytes;
        c.unackedBytes = Math.max(0, c.inFlight()) * c.frameBytes;
        unackedBytes += c.unackedBytes;
    }

    private void write(Cursor c, Message m) {
        if (m instanceof StreamFrame f) {
            c.frameBytes = f.encodedBytes();
            mailman.stats.deliveries.increment();
            delivered++;
            if (f.seq() <= c.redeliverUpTo) {
                StreamFrame flagged = f.copyWithFlags(f.flags() | StreamFrame.FLAG_REDELIVERY, ctx.alloc());
                f.release();
                ctx.write(flagged, ctx.voidPromise());
            } else {
                ctx.write(f, ctx.voidPromise());
            }
        } else if (m instanceof GapFrame gapFrame) {
            Gap g = gapFrame.gap();
            mailman.stats.gaps.increment();
            mailman.stats.gapChunks.add(g.count());
            gapsSent++;
            gapChunksSent += g.count();
            mailman.events.record(MailmanEvent.Kind.GAP, hello.name(), g.stream(), "chunks " + g.fromSeq() + ".." + g.toSeq()
                    + " (" + g.count() + ") will never reach it: " + g.reason());
            log.warn("{}: GAP in stream '{}', chunks {}..{} ({} chunks, {}): {}", label, g.stream(), g.fromSeq(), g.toSeq(),
                    g.count(), g.reason(), g.message());
            ctx.write(gapFrame, ctx.voidPromise());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Ack a)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Cursor c = cursors.get(a.stream());
        if (c == null || c.next == FROM_FIRST) {
            log.debug("{}: ACK for stream '{}' which it was never sent; ignored", label, a.stream());
            return;
        }
        // An ACK beyond what was sent is a client bug; never let it open the window past the log.
        c.acked = Math.max(c.acked, Math.min(a.seq(), c.next - 1));
        settleEndGap(c);
        account(c);
        if (!registered() || !channel.isActive()) {
            return;
        }
        // What the ACK let through is written now and flushed once for the whole read (channelReadComplete): a
        // processor behind on many streams acknowledges many chunks per read.
        wrote = false;
        // The bytes it freed are every stream's: the cursors held back before it come first, then its own, unless it
        // waits in the queue for its turn (with nothing in flight it may always send one chunk: it goes now).
        pumpHeld();
        if ((!c.held || c.inFlight() <= 0) && cursors.get(a.stream()) == c && pumpCursor(a.stream(), c)) {
            cursors.remove(a.stream());
        }
        batch.clear();
        flushAfterRead |= wrote;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushAfterRead) {
            flushAfterRead = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    void unregister() {
        Map<String, Registry.Position> positions = new HashMap<>(carried);
        for (Map.Entry<String, Cursor> e : cursors.entrySet()) {
            Cursor c = e.getValue();
            c.log.removeReader(this);
            if (c.next != FROM_FIRST) {
                positions.put(e.getKey(), new Registry.Position(c.acked + 1, c.next - 1));
            }
        }
        mailman.registry.releaseProcessor(this, positions);
        mailman.events.record(MailmanEvent.Kind.PROCESSOR_LEFT, hello.name(), "", label + " left ("
                + CloseReason.of(channel, "connection closed") + ")");
    }

    /** Where this processor stands now. Runs on its event loop. */
    ProcessorStatus status(long nowNanos) {
        List<ProcessorStatus.Cursor> out = new ArrayList<>(cursors.size());
        long lagChunks = 0;
        double lagSeconds = 0;
        for (Map.Entry<String, Cursor> e : cursors.entrySet()) {
            Cursor c = e.getValue();
            long lastSeq = c.log.nextSeq() - 1;
            long acked = Math.max(c.acked, -1);
            long behind = Math.max(0, lastSeq - acked);
            double seconds = lagSeconds(c, nowNanos);
            lagChunks += behind;
            lagSeconds = Math.max(lagSeconds, seconds);
            out.add(new ProcessorStatus.Cursor(e.getKey(), Math.max(c.next, 0), acked, Math.max(0, c.inFlight()), behind, seconds));
        }
        InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
        return new ProcessorStatus(hello.name(), peer == null ? "" : peer.getAddress().getHostAddress() + ":" + peer.getPort(),
                connectedAt, hello.window(), hello.subscriptions(), delivered, gapsSent, gapChunksSent, lagChunks, lagSeconds, out);
    }

    /** How long the oldest chunk of {@code c}'s stream this processor has not acknowledged has waited, in seconds. */
    private static double lagSeconds(Cursor c, long nowNanos) {
        long arrived = c.log.arrivedNanosAtOrAfter(Math.max(c.acked, -1) + 1);
        return arrived < 0 ? 0 : Math.max(0, nowNanos - arrived) / 1e9;
    }

    /**
     * Reports each stream this processor is more than {@code warnNanos} behind, at most every
     * {@link #LAG_REPORT_INTERVAL_NANOS} per stream, and once when it has caught up again. Runs on its event loop.
     */
    void reportLag(long nowNanos, long warnNanos) {
        for (Map.Entry<String, Cursor> e : cursors.entrySet()) {
            Cursor c = e.getValue();
            double seconds = lagSeconds(c, nowNanos);
            if (seconds * 1e9 > warnNanos) {
                if (c.lagReportedNanos == 0 || nowNanos - c.lagReportedNanos >= LAG_REPORT_INTERVAL_NANOS) {
                    c.lagReportedNanos = nowNanos;
                    long behind = Math.max(0, c.log.nextSeq() - 1 - c.acked);
                    String what = String.format(Locale.ROOT, "%.1f s behind stream '%s' (%d chunks not yet acknowledged)",
                            seconds, e.getKey(), behind);
                    log.warn("{}: {}: it processes more slowly than the stream comes. Make processData faster, subscribe it to "
                            + "fewer streams, or run more processors under other names; beyond RETENTION_SECONDS it gets gaps", label, what);
                    mailman.events.record(MailmanEvent.Kind.LAG, hello.name(), e.getKey(), what);
                }
            } else if (c.lagReportedNanos != 0 && seconds * 1e9 <= warnNanos / 2) {
                c.lagReportedNanos = 0;
                log.info("{}: caught up with stream '{}' ({} s behind now)", label, e.getKey(), String.format(Locale.ROOT, "%.1f", seconds));
                mailman.events.record(MailmanEvent.Kind.CAUGHT_UP, hello.name(), e.getKey(), "caught up with stream '" + e.getKey() + "'");
            }
        }
    }

    /** How often a processor that stays behind a stream is reported again: 30 s. */
    static final long LAG_REPORT_INTERVAL_NANOS = 30_000_000_000L;
}
