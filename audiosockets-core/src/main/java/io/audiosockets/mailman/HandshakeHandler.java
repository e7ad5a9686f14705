package io.audiosockets.mailman;

import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.Hello;
import io.audiosockets.protocol.Names;
import io.audiosockets.protocol.ProtocolException;
import io.audiosockets.protocol.Role;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first stage of a mailman connection: waits for HELLO (within the handshake timeout),
 * checks the role and the names, and hands the connection to a {@link RecorderSession} or a
 * {@link ProcessorSession}, which takes this handler's place in the pipeline. Anything else
 * first, an unknown role ("not a node") or a bad name gets an ERROR and a close.
 *
 * <p>One per channel, confined to its event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private final MailmanContext mailman;
    private ScheduledFuture<?> timeout;
    private boolean helloSeen;

    HandshakeHandler(MailmanContext mailman) {
        this.mailman = mailman;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long millis = mailman.config.handshakeTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> {
            if (!helloSeen) {
                mailman.stats.refused.increment();
                ctx.fireExceptionCaught(new ProtocolException(ErrorCode.HANDSHAKE_TIMEOUT,
                        "no HELLO within " + millis / 1000.0 + " s (HANDSHAKE_TIMEOUT_SECONDS)"));
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.cancel(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (helloSeen) {
            // A pipelined frame arriving while the session is being set up: let it pass on.
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof Hello hello)) {
            ReferenceCountUtil.release(msg);
            mailman.stats.refused.increment();
            throw new ProtocolException(ErrorCode.HANDSHAKE_REQUIRED,
                    "the first frame must be HELLO, got " + ((io.audiosockets.protocol.Message) msg).type());
        }
        helloSeen = true;
        timeout.cancel(false);
        Role role = hello.role();
        if (role == null) {
            refuse(ErrorCode.UNKNOWN_ROLE, "role code " + hello.roleCode() + " is not a node: expected 1 (recorder) or 2 (processor)");
        }
        if (!Names.isValid(hello.name())) {
            refuse(ErrorCode.INVALID_NAME, Names.problem(hello.name(), role == Role.RECORDER ? "stream name" : "processor name"));
        }
        long sessionId = mailman.nextSessionId();
        String label = (role == Role.RECORDER ? "recorder of stream '" : "processor '") + hello.name() + "' #" + sessionId
                + " " + ctx.channel().remoteAddress();
        if (role == Role.RECORDER) {
            new RecorderSession(mailman, ctx.channel(), hello, sessionId, label).register(ctx, this);
        } else {
            if (hello.window() < 1) {
                refuse(ErrorCode.INVALID_VALUE, "processor window 0: expected 1..65535 chunks in flight");
            }
            for (String s : hello.subscriptions()) {
                if (!Names.isValid(s)) {
                    refuse(ErrorCode.INVALID_NAME, Names.problem(s, "subscribed stream name"));
                }
            }
            for (String s : hello.positions().keySet()) {
                if (!Names.isValid(s)) {
                    refuse(ErrorCode.INVALID_NAME, Names.problem(s, "resume position stream name"));
                }
            }
            new ProcessorSession(mailman, ctx.channel(), hello, sessionId, label).register(ctx, this);
        }
    }

    private void refuse(ErrorCode code, String message) {
        mailman.stats.refused.increment();
        throw new ProtocolException(code, message);
    }

    /** Called by a session whose name is held by another instance. */
    void refuseNameInUse(ChannelHandlerContext ctx, String what, long holder) {
        mailman.stats.refused.increment();
        ctx.fireExceptionCaught(new ProtocolException(ErrorCode.NAME_IN_USE, what + " is in use by another live client (instance "
                + Long.toHexString(holder) + "); choose another name, or stop the other client first"));
    }
}
