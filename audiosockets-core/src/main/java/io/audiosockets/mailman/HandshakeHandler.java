package io.audiosockets.mailman;

import io.audiosockets.config.Security;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Names;
import io.audiosockets.internal.protocol.ProtocolException;
import io.audiosockets.internal.protocol.Role;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of a mailman connection: waits for HELLO (within the handshake timeout),
 * checks the role and the names, and hands the connection to a {@link RecorderSession} or a
 * {@link ProcessorSession}, which takes this handler's place in the pipeline. Anything else
 * first, an unknown role ("not a node") or a bad name gets an ERROR and a close.
 *
 * <p>One per channel, confined to its event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    private final MailmanContext mailman;
    /** Who is connecting, for the refusal event. */
    private SocketAddress peer;
    private ScheduledFuture<?> timeout;
    private boolean helloSeen;

    HandshakeHandler(MailmanContext mailman) {
        this.mailman = mailman;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        peer = ctx.channel().remoteAddress();
        long millis = mailman.config.handshakeTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> {
            if (!helloSeen) {
                mailman.refused("HANDSHAKE_TIMEOUT", ctx.channel().remoteAddress(), "no HELLO within " + millis / 1000.0 + " s");
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
            mailman.refused("HANDSHAKE_REQUIRED", ctx.channel().remoteAddress(), "the first frame was not HELLO");
            throw new ProtocolException(ErrorCode.HANDSHAKE_REQUIRED,
                    "the first frame must be HELLO, got " + ((io.audiosockets.internal.protocol.Message) msg).type());
        }
        helloSeen = true;
        timeout.cancel(false);
        Role role = hello.role();
        if (role == null) {
            refuse(ErrorCode.UNKNOWN_ROLE, "role code " + hello.roleCode() + " is not a node: expected 1 (recorder), 2 (processor) or "
                    + "3 (publisher)");
        }
        if (role == Role.PUBLISHER && hello.version() < 2) {
            refuse(ErrorCode.UNKNOWN_ROLE, "role 3 (publisher) exists from protocol version 2, but this HELLO's header says version "
                    + hello.version());
        }
        if (!Names.isValid(hello.name())) {
            refuse(ErrorCode.INVALID_NAME, Names.problem(hello.name(), role == Role.PROCESSOR ? "processor name" : "stream name"));
        }
        checkToken(ctx, role, hello.token());
        long sessionId = mailman.nextSessionId();
        String label = switch (role) {
            case RECORDER -> "recorder of stream '";
            case PUBLISHER -> "publisher of stream '";
            case PROCESSOR -> "processor '";
        } + hello.name() + "' #" + sessionId
                + " " + ctx.channel().remoteAddress();
        if (role == Role.RECORDER) {
            new RecorderSession(mailman, ctx.channel(), hello, StreamLog.Kind.AUDIO, sessionId, label).register(ctx, this);
        } else if (role == Role.PUBLISHER) {
            new RecorderSession(mailman, ctx.channel(), hello, StreamLog.Kind.RECORDS, sessionId, label).register(ctx, this);
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

    /**
     * Compares the HELLO's token with the role's secret in constant time (over SHA-256 digests, so
     * not even the length leaks). The ERROR names the problem, never the token.
     */
    private void checkToken(ChannelHandlerContext ctx, Role role, String given) {
        Security security = mailman.config.security();
        // A publisher puts data into the mailman, as a recorder does: it needs the recorders' token, so that the
        // processors' token alone can neither inject data nor take a stream's name.
        boolean sender = role == Role.RECORDER || role == Role.PUBLISHER;
        String expected = sender ? security.recorderSecret() : security.processorSecret();
        if (expected.isEmpty()) {
            return;
        }
        if (MessageDigest.isEqual(sha256(given), sha256(expected))) {
            return;
        }
        String roleName = role == Role.RECORDER ? "recorder" : role == Role.PUBLISHER ? "publisher" : "processor";
        String key = sender ? "RECORDER_TOKEN" : "PROCESSOR_TOKEN";
        boolean separate = !(sender ? security.recorderToken() : security.processorToken()).isEmpty();
        log.warn("refused a {} from {}: {} token", roleName, ctx.channel().remoteAddress(), given.isEmpty() ? "no" : "wrong");
        refuse(ErrorCode.AUTH_FAILED, given.isEmpty()
                ? "this mailman requires a token of " + roleName + "s: set " + (separate ? key : "TOKEN")
                        + " in the config file, or AUDIOSOCKETS_" + (separate ? key : "TOKEN") + " in the environment"
                : "wrong token for a " + roleName + " (compare " + (separate ? key + " / AUDIOSOCKETS_" + key : "TOKEN / AUDIOSOCKETS_TOKEN")
                        + " with the mailman's)");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private void refuse(ErrorCode code, String message) {
        mailman.refused(code.name(), peer, message);
        throw new ProtocolException(code, message);
    }

    /** Called by a session refused with {@code code} after the HELLO was read (a stream of the other kind). */
    void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        mailman.refused(code.name(), ctx.channel().remoteAddress(), message);
        log.warn("refused {}: {}", ctx.channel().remoteAddress(), message);
        ctx.fireExceptionCaught(new ProtocolException(code, message));
    }

    /** Called by a session refused for a limit (MAX_STREAMS, MAX_PROCESSORS). */
    void refuseLimit(ChannelHandlerContext ctx, String message) {
        mailman.refused("LIMIT_REACHED", ctx.channel().remoteAddress(), message);
        log.warn("refused {}: {}", ctx.channel().remoteAddress(), message);
        ctx.fireExceptionCaught(new ProtocolException(ErrorCode.LIMIT_REACHED, message));
    }

    /** Called by a session whose name is held by another instance. */
    void refuseNameInUse(ChannelHandlerContext ctx, String what, long holder) {
        mailman.refused("NAME_IN_USE", ctx.channel().remoteAddress(), what + " is in use by another live client");
        ctx.fireExceptionCaught(new ProtocolException(ErrorCode.NAME_IN_USE, what + " is in use by another live client (instance "
                + Long.toHexString(holder) + "); choose another name, or stop the other client first"));
    }
}
