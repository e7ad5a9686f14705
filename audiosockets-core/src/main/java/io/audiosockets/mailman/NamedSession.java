package io.audiosockets.mailman;

import io.audiosockets.internal.channel.CloseReason;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.protocol.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session that holds a name while it is registered (a recorder's or publisher's stream, a
 * processor's name), the same for every kind of session: what a {@link Registry.Claim} means for
 * the connection that made it, how the name is given up when the connection goes, and how the
 * holder makes way when the same client instance connects again.
 *
 * <p>A name is held by one live client; a different client instance claiming it is refused
 * (NAME_IN_USE), the same instance reconnecting replaces its old connection, which is closed with
 * REPLACED, and the new one claims again once the old one has released the name.
 *
 * <p>Confined to the channel's event loop, except {@link #replace()}, which is called from another
 * session's loop under the registry's lock and only schedules work on this one's.
 */
abstract class NamedSession extends ChannelInboundHandlerAdapter implements Registry.Session {
    private static final Logger log = LoggerFactory.getLogger(NamedSession.class);
    private final Channel channel;
    /** "recorder" or "processor": the client, in the REPLACED error and the log. */
    private final String client;
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private boolean registered;

    NamedSession(Channel channel, String client) {
        this.channel = channel;
        this.client = client;
    }

    /**
     * Acts on the outcome of a claim: refuses the connection through the handshake, or, when it
     * replaces its own older connection, calls {@code retry} on this channel's event loop once that
     * one has released the name (if this channel is still open), or, when the name is granted,
     * counts this session as registered.
     *
     * @param what the name in a refusal, e.g. "stream 'mic'"
     * @param label the session, in the log
     * @return whether the name was granted: the session registers now
     */
    final boolean granted(Registry.Claim claim, ChannelHandlerContext handshakeCtx, HandshakeHandler handshake, String what,
                          String label, Runnable retry) {
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
            registered = true;
            return true;
        }
        return false;
    }

    /** The event loop that owns this session: where its state may be read. */
    final EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Whether this session holds its name now. */
    final boolean registered() {
        return registered;
    }

    /** Gives the name, and whatever else the session holds, back to the registry. Called once, on the loop. */
    abstract void unregister();

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (registered) {
            registered = false;
            unregister();
        }
        released.complete(null);
    }

    // Called from another session's event loop, under the registry's lock: schedule, never block.
    @Override
    public final CompletableFuture<Void> replace() {
        channel.eventLoop().execute(() -> {
            CloseReason.set(channel, "replaced by a new connection of the same " + client);
            channel.writeAndFlush(new ErrorMessage(ErrorCode.REPLACED, "this " + client + " connected again; closing the old connection"))
                    .addListener(ChannelFutureListener.CLOSE);
        });
        return released;
    }
}
