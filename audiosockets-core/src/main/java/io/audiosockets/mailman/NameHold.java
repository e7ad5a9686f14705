package io.audiosockets.mailman;

import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.protocol.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's hold on its name (a recorder's or publisher's stream, a processor's name), the same
 * for every kind of session: what a {@link Registry.Claim} means for the connection that made it,
 * and how the holder gives the name up when the same client instance connects again.
 *
 * <p>A name is held by one live client; a different client instance claiming it is refused
 * (NAME_IN_USE), the same instance reconnecting replaces its old connection, which is closed with
 * REPLACED, and the new one claims again once the old one has {@linkplain #released() released}
 * the name.
 *
 * <p>One per session. {@link #settle} runs on the claiming session's event loop; {@link #replace()}
 * is called from another session's loop, under the registry's lock, and only schedules work on
 * this one's.
 */
final class NameHold {
    private static final Logger log = LoggerFactory.getLogger(NameHold.class);
    private final Channel channel;
    /** "recorder" or "processor": the client, in the REPLACED error and the log. */
    private final String client;
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    NameHold(Channel channel, String client) {
        this.channel = channel;
        this.client = client;
    }

    /**
     * Acts on the outcome of a claim other than {@link Registry.Granted}: refuses the connection
     * through the handshake, or, when it replaces its own older connection, calls {@code retry}
     * on this channel's event loop once that one has released the name (if this channel is still open).
     *
     * @param what the name in a refusal, e.g. "stream 'mic'"
     * @param label the session, in the log
     * @return whether the name was granted: the session registers now
     */
    boolean settle(Registry.Claim claim, ChannelHandlerContext handshakeCtx, HandshakeHandler handshake, String what, String label,
                   Runnable retry) {
        if (claim instanceof Registry.Taken t) {
            handshake.refuseNameInUse(handshakeCtx, what, t.holderInstance());
        } else if (claim instanceof Registry.Refused r) {
            handshake.refuseLimit(handshakeCtx, r.message());
        } else if (claim instanceof Registry.WrongKind w) {
            handshake.refuse(handshakeCtx, ErrorCode.INVALID_VALUE, w.message());
        } else if (claim instanceof Registry.Replacing r) {
            log.info("{}: the same {} reconnected; replacing its old connection", label, client);
            r.released().whenComplete((v, e) -> handshakeCtx.executor().execute(() -> {
                if (handshakeCtx.channel().isActive()) {
                    retry.run();
                }
            }));
        } else {
            return true;
        }
        return false;
    }

    /**
     * Closes the session with a REPLACED error: the same client instance has connected again.
     *
     * @return completes once the session has released its name
     */
    CompletableFuture<Void> replace() {
        channel.eventLoop().execute(() -> {
            CloseReason.set(channel, "replaced by a new connection of the same " + client);
            channel.writeAndFlush(new ErrorMessage(ErrorCode.REPLACED, "this " + client + " connected again; closing the old connection"))
                    .addListener(ChannelFutureListener.CLOSE);
        });
        return released;
    }

    /** The session no longer holds the name (or never got it): a replacing connection may claim it. */
    void released() {
        released.complete(null);
    }
}
