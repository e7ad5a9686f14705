package io.audiosockets.mailman;

import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.ProtocolException;
import io.audiosockets.internal.protocol.ReplayAnswer;
import io.audiosockets.internal.protocol.ReplayRequest;
import io.audiosockets.internal.protocol.StreamFrame;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registered recorder's connection: appends each AUDIO frame to its stream's log and
 * acknowledges it, whatever the processors are doing. Acknowledgements are cumulative and sent
 * once per read batch, so a burst of chunks costs one ACK; to a client of protocol version 3 an
 * ACK may wait up to {@code ACK_DELAY_MILLIS} to cover the chunks that follow (PROTOCOL.md §5.2):
 * at real time each chunk is its own read batch, and the ACK's write was a fifth of the mailman's
 * CPU per chunk.
 *
 * <p>A recorder owns its stream name while connected; a different client claiming it is refused
 * (NAME_IN_USE), the same client instance reconnecting replaces its old connection.
 *
 * <p>It is also its stream's {@link StreamLog.Replayer}: when the log needs chunks it never held
 * (the mailman restarted), this session sends the recorder a REPLAY request and feeds the
 * announced frames of the answer back to the log.
 *
 * <p>One per channel, confined to its event loop, except {@link #replace()} and
 * {@link #requestReplay}, which only schedule work on it.
 */
final class RecorderSession extends NamedSession implements StreamLog.Replayer {
    private static final Logger log = LoggerFactory.getLogger(RecorderSession.class);
    /** The protocol version from which a recorder's ACKs may be held back (PROTOCOL.md §5.2). */
    private static final int HELD_BACK_ACKS_SINCE = 3;
    private final MailmanContext mailman;
    private final Hello hello;
    /** What this sender may send: AUDIO (a recorder) or RECORD (a publisher of results). */
    private final StreamLog.Kind kind;
    private final long sessionId;
    private final String label;
    private final Channel channel;
    private ChannelHandlerContext ctx;
    private StreamLog streamLog;
    private long ackSeq = -1;
    /** For status: when this connection was accepted and the chunks it brought. Event-loop confined. */
    private final Instant connectedAt = Instant.now();
    private long chunksReceived;
    /** Version 3: how long an ACK may wait for more chunks to cover; 0 for one per read batch. */
    private final long ackDelayNanos;
    /**
     * Chunks received and not acknowledged that make the ACK go at once: half the recorder's window
     * (rounded up), so that a held-back ACK never stalls it. Window 0, 1 or 2: at once, always.
     */
    private final int ackAtOnce;
    /** Chunks received since the last ACK (duplicates included): an ACK is owed while this is above 0. */
    private int unacknowledged;
    /** Whether a check for a held-back ACK is scheduled. */
    private boolean ackScheduled;
    /** When the held-back ACK falls due, in the mailman's {@link Ticker} time: the delay after the first chunk it covers. */
    private long ackDueAt;
    private final Runnable delayedAck = this::sendDelayedAck;
    /** Replayed AUDIO frames still to come after a REPLAY_ANSWER, and whether the log accepted them. */
    private long replayFramesDue;
    private boolean replayAccepted;
    /** REPLAYs sent on this connection and not answered yet, oldest first: an answer must fit the oldest. */
    private final Queue<ReplayRequest> requested = new ArrayDeque<>();

    RecorderSession(MailmanContext mailman, Channel channel, Hello hello, StreamLog.Kind kind, long sessionId, String label) {
        super(channel, "recorder");
        this.mailman = mailman;
        this.kind = kind;
        this.channel = channel;
        this.hello = hello;
        this.sessionId = sessionId;
        this.label = label;
        this.ackDelayNanos = hello.version() >= HELD_BACK_ACKS_SINCE ? mailman.config.ackDelay().toNanos() : 0;
        this.ackAtOnce = (hello.window() + 1) / 2;
    }

    @Override
    public long instanceId() {
        return hello.instanceId();
    }

    // Called from the handshake, on this channel's event loop.
    void register(ChannelHandlerContext handshakeCtx, HandshakeHandler handshake) {
        Registry.Claim claim = mailman.registry.claimRecorder(hello.name(), kind, this);
        if (granted(claim, handshakeCtx, handshake, "stream '" + hello.name() + "'", label,
                () -> register(handshakeCtx, handshake))) {
            streamLog = mailman.registry.log(hello.name(), kind);
            streamLog.attachReplayer(this);
            handshakeCtx.pipeline().replace(handshake, "session", this);
            ctx.channel().attr(MailmanContext.LABEL).set(label);
            long lastSeq = streamLog.nextSeq() < 0 ? -1 : streamLog.nextSeq() - 1;
            // The event before WELCOME: whatever the client does once welcomed comes after its joining, for watchers too.
            mailman.events.record(MailmanEvent.Kind.RECORDER_JOINED, hello.name(), hello.name(), label + " connected ("
                    + (lastSeq < 0 ? "new stream" : "continues after seq " + lastSeq) + ")");
            ctx.writeAndFlush(new Welcome(mailman.serverName, sessionId, mailman.config.maxFrameBytes(),
                    (int) mailman.config.heartbeat().toMillis(), lastSeq));
            log.info("{} registered ({}, send window {})", label,
                    lastSeq < 0 ? "new stream" : "stream known up to seq " + lastSeq, hello.window());
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ReplayAnswer a) {
            onReplayAnswer(a);
            return;
        }
        if (msg instanceof GapFrame g) {
            onSourceSkipped(g.gap());
            return;
        }
        if (!(msg instanceof StreamFrame f)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if ((f instanceof AudioFrame) != (kind == StreamLog.Kind.AUDIO)) {
            f.release();
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, kind == StreamLog.Kind.AUDIO
                    ? "RECORD from a recorder: results are sent by a publisher (role 3) on a stream of their own"
                    : "AUDIO from a publisher: a publisher sends RECORD frames; audio is sent by a recorder (role 1)");
        }
        if (!f.stream().equals(hello.name())) {
            String stream = f.stream();
            f.release();
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, f.type() + " for stream '" + stream
                    + "' on a connection registered for stream '" + hello.name() + "': one connection per stream");
        }
        if (replayFramesDue > 0) {
            replayFramesDue--;
            if (replayAccepted) {
                streamLog.replayFrame(owned(f));
                mailman.stats.chunksReplayed.increment();
            } else {
                f.release();
            }
            return;
        }
        chunksReceived++;
        long seq = f.seq();
        if (streamLog.append(f) == StreamLog.Append.APPENDED) {
            mailman.stats.chunksIn.increment();
            mailman.registry.reclaim();
        } else {
            mailman.stats.duplicates.increment();
        }
        ackSeq = Math.max(ackSeq, seq);
        if (unacknowledged++ == 0 && ackDelayNanos > 0) {
            ackDueAt = mailman.ticker.nanoTime() + ackDelayNanos;
        }
    }

    /**
     * A copy of {@code f} a pending replay can keep until its last frame comes, exactly the frame's
     * size; releases {@code f}. The decoded frame is a slice of the buffer it was read into, which
     * it would keep whole (up to 64 KiB for a chunk of 100 bytes). Flags are cleared on the way:
     * they are the mailman's to set (REDELIVERY), a recorder's bits must not reach processors. (A
     * new chunk needs no such copy: the log copies it into its slabs.)
     */
    private StreamFrame owned(StreamFrame f) {
        try {
            return f.copyWithFlags(0, ctx.alloc());
        } finally {
            f.release();
        }
    }

    /**
     * The recorder's source skipped a range before this stream's first chunk (PROTOCOL.md §4.6): the
     * log then reports it to processors as a gap instead of beginning at the first chunk that came.
     */
    private void onSourceSkipped(Gap g) {
        if (!g.stream().equals(hello.name()) || g.reason() != GapReason.SOURCE_SKIPPED) {
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, !g.stream().equals(hello.name())
                    ? "GAP for stream '" + g.stream() + "' on a connection registered for stream '" + hello.name() + "'"
                    : "GAP with reason " + g.reason() + " from a recorder: a recorder reports only SOURCE_SKIPPED");
        }
        if (replayFramesDue > 0) {
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, "GAP while " + replayFramesDue
                    + " replayed AUDIO frames of the last REPLAY_ANSWER are still due");
        }
        log.info("{}: the recorder's source skipped chunks {}..{} before sending any ({}); processors get a gap for them",
                label, g.fromSeq(), g.toSeq(), g.message());
        streamLog.sourceSkipped(g.fromSeq(), g.toSeq());
    }

    private void onReplayAnswer(ReplayAnswer a) {
        if (replayFramesDue > 0 || !a.stream().equals(hello.name())) {
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, replayFramesDue > 0
                    ? "REPLAY_ANSWER while " + replayFramesDue + " replayed AUDIO frames of the last answer are still due"
                    : "REPLAY_ANSWER for stream '" + a.stream() + "' on a connection registered for stream '" + hello.name() + "'");
        }
        ReplayRequest asked = requested.poll();
        if (asked == null || a.fromSeq() < asked.fromSeq() || a.fromSeq() > asked.toSeq() + 1
                || a.count() > asked.toSeq() + 1 - a.fromSeq()) {
            // Its AUDIO frames would otherwise be taken for replayed ones and vanish: refuse it, and them, loudly.
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, asked == null
                    ? "REPLAY_ANSWER (from " + a.fromSeq() + ", " + a.count() + " frames) but this mailman sent no REPLAY on "
                            + "this connection: a recorder answers only a REPLAY, once"
                    : "REPLAY_ANSWER (from " + a.fromSeq() + ", " + a.count() + " frames) does not fit the REPLAY it answers ("
                            + asked.fromSeq() + ".." + asked.toSeq() + ")");
        }
        replayAccepted = streamLog.replayAnswer(a.fromSeq(), a.count());
        replayFramesDue = a.count();
        if (replayAccepted) {
            log.info("{}: replaying {} chunk(s) from seq {}", label, a.count(), a.fromSeq());
        } else {
            log.warn("{}: REPLAY_ANSWER (from {}, {} chunks) matches no outstanding request (it came too late?); its "
                    + "frames are discarded", label, a.fromSeq(), a.count());
        }
    }

    // Called by the log, from a processor's event loop: ask on ours.
    @Override
    public void requestReplay(StreamLog target, long request, long fromSeq, long toSeq) {
        channel.eventLoop().execute(() -> {
            if (!registered() || !channel.isActive()) {
                return;
            }
            log.info("{}: a processor resumes at seq {}, before anything this mailman holds; asking the "
                    + "recorder to replay {}..{}", label, fromSeq, fromSeq, toSeq);
            ReplayRequest asked = new ReplayRequest(hello.name(), fromSeq, toSeq);
            requested.add(asked);
            ctx.writeAndFlush(asked);
            long timeout = mailman.config.heartbeatTimeout().toMillis();
            channel.eventLoop().schedule(() -> {
                if (target.replayTimedOut(request)) {
                    log.warn("{}: no answer to REPLAY {}..{} within {} s (HEARTBEAT_TIMEOUT_SECONDS); processors get a gap "
                            + "for it. Is the recorder an audiosockets version that replays?", label, fromSeq, toSeq, timeout / 1000.0);
                }
            }, timeout, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (ackDelayNanos == 0 || unacknowledged >= ackAtOnce) {
            flushAck(ctx);
        } else if (unacknowledged > 0 && !ackScheduled) {
            ackScheduled = true;
            scheduleAckCheck();
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * Checks for the held-back ACK at the first tick, at least until {@link #ackDueAt} away, of a real-time grid of a
     * fifth of the delay: the held-back ACKs of all the loop's recorders fall due together, so the loop wakes once per
     * tick for them, not once per ACK (measured: without the grid the writes saved were spent again on wake-ups).
     */
    private void scheduleAckCheck() {
        long tick = Math.max(1_000_000L, ackDelayNanos / 5);
        long atLeast = Math.max(1, ackDueAt - mailman.ticker.nanoTime());
        long now = System.nanoTime();
        ctx.executor().schedule(delayedAck, Math.floorDiv(now + atLeast + tick - 1, tick) * tick - now, TimeUnit.NANOSECONDS);
    }

    /** The scheduled check: sends the held-back ACK once due by the mailman's ticker (in tests, once they advance it). */
    private void sendDelayedAck() {
        if (unacknowledged == 0 || !ctx.channel().isActive()) {
            ackScheduled = false;
        } else if (mailman.ticker.nanoTime() - ackDueAt >= 0) {
            ackScheduled = false;
            flushAck(ctx);
        } else {
            scheduleAckCheck(); // not due yet: an ACK sent meanwhile (half the window) restarted the delay; or a test's ticker
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ControlHandler.Farewell.INSTANCE) {
            // AUDIO read in the same batch as the BYE is held: say so before the BYE's answer (PROTOCOL.md §5.10).
            flushAck(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Acknowledges, with one cumulative ACK, the AUDIO received since the last one. */
    private void flushAck(ChannelHandlerContext ctx) {
        if (unacknowledged > 0 && ackSeq >= 0) {
            unacknowledged = 0;
            ctx.writeAndFlush(new Ack(hello.name(), ackSeq));
        }
    }

    @Override
    void unregister() {
        streamLog.detachReplayer(this);
        mailman.registry.releaseRecorder(hello.name(), this);
        mailman.events.record(MailmanEvent.Kind.RECORDER_LEFT, hello.name(), hello.name(), label + " left ("
                + CloseReason.of(channel, "connection closed") + ")");
    }

    /** This recorder now. Runs on its event loop. */
    RecorderStatus status() {
        InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
        return new RecorderStatus(hello.name(), peer == null ? "" : peer.getAddress().getHostAddress() + ":" + peer.getPort(),
                connectedAt, chunksReceived, ackSeq);
    }
}
