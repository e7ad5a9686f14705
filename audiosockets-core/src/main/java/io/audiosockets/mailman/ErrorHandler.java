package io.audiosockets.mailman;

import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.channel.TlsFailure;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.ProtocolException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every mailman connection: turns an exception into an ERROR frame for the
 * offending client and a close, and logs it with the client's name. Only this connection is
 * affected; the mailman and every other client carry on.
 *
 * <p>Also logs every disconnect with its reason.
 *
 * <p>One per channel, confined to its event loop.
 */
final class ErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
    private final MailmanContext mailman;
    private boolean failed;

    ErrorHandler(MailmanContext mailman) {
        this.mailman = mailman;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return; // the first error is the one that counts; the rest are its echoes
        }
        failed = true;
        SSLException tls = TlsFailure.of(cause);
        OutOfMemoryError oom = outOfMemory(cause);
        if (cause instanceof ProtocolException p) {
            mailman.stats.protocolErrors.increment();
            log.warn("{}: protocol error {}: {}; closing its connection", Labels.of(ctx), p.code(), p.getMessage());
            sendAndClose(ctx, p.code(), p.getMessage(), "protocol error " + p.code());
        } else if (tls != null) {
            // Nothing can be said in the protocol: the peer does not share our TLS session (or any).
            mailman.refused("TLS_HANDSHAKE_FAILED", ctx.channel().remoteAddress(), "TLS handshake failed: " + tls.getMessage());
            log.warn("{}: TLS handshake failed ({}); closing. A client must connect with TLS and trust this mailman's "
                    + "certificate (TLS_FINGERPRINT or TLS_CA)", Labels.of(ctx), tls.getMessage());
            CloseReason.set(ctx.channel(), "TLS handshake failed");
            ctx.close();
        } else if (oom != null) {
            // Load, not a bug: the retained audio is held to RETENTION_MAX_BYTES, but what is being received and sent
            // needs memory too. This client is told to come back (its recorder resends what was not acknowledged).
            mailman.refused("LIMIT_REACHED", ctx.channel().remoteAddress(), "no memory for its data now");
            log.warn("{}: no memory for its data now ({}); closing it with LIMIT_REACHED, it will retry. The mailman keeps at "
                    + "most {} bytes of streams (RETENTION_MAX_BYTES); give the JVM more direct memory "
                    + "(-XX:MaxDirectMemorySize) or lower RETENTION_MAX_BYTES", Labels.of(ctx), oom.getMessage(),
                    mailman.registry.budget().maxBytes());
            sendAndClose(ctx, ErrorCode.LIMIT_REACHED, "the mailman has no memory for this connection now; try again later",
                    "out of memory");
        } else if (cause instanceof IOException) {
            log.debug("{}: connection failed: {}", Labels.of(ctx), cause.toString());
            CloseReason.setIfAbsent(ctx.channel(), "connection lost: " + cause.getMessage());
            ctx.close();
        } else {
            log.error("{}: internal error; closing its connection", Labels.of(ctx), cause);
            sendAndClose(ctx, ErrorCode.INTERNAL, "internal error in the mailman: " + cause, "internal error");
        }
    }

    /** The {@link OutOfMemoryError} that caused {@code cause} (Netty wraps one in a decoder's exception), or null. */
    private static OutOfMemoryError outOfMemory(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    private static void sendAndClose(ChannelHandlerContext ctx, ErrorCode code, String message, String reason) {
        CloseReason.set(ctx.channel(), reason);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(new ErrorMessage(code, message)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Whatever reaches the tail was not consumed by a session: a frame this state does not expect.
        io.netty.util.ReferenceCountUtil.release(msg);
        exceptionCaught(ctx, new ProtocolException(ErrorCode.UNEXPECTED_FRAME,
                (msg instanceof io.audiosockets.internal.protocol.Message m ? m.type().toString() : msg.getClass().getSimpleName())
                        + " frame is not expected " + (ctx.channel().hasAttr(MailmanContext.LABEL)
                        && ctx.channel().attr(MailmanContext.LABEL).get() != null ? "from a " + Labels.of(ctx)
                        : "before the handshake completed: send HELLO, then wait for WELCOME")));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String label = Labels.of(ctx);
        if (label.startsWith("unregistered")) {
            log.debug("{} disconnected ({})", label, CloseReason.of(ctx.channel(), "connection closed by peer"));
        } else {
            log.info("{} disconnected ({})", label, CloseReason.of(ctx.channel(), "connection closed by peer without BYE"));
        }
        ctx.fireChannelInactive();
    }
}
