package io.audiosockets.client;

import io.audiosockets.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.ErrorMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the mailman, on a short connection of its own, whether it shares this client's
 * {@code DISCONNECT_MSG}: it sends a BYE as its first frame (the mailman accepts BYE in any state,
 * PROTOCOL.md §5.10) and reads the answer, a BYE if the texts match, {@code ERROR
 * BAD_DISCONNECT_MSG} if not. The protocol has no other way to compare them, and without this a
 * client configured with another file learns of the mismatch only when it says goodbye at Ctrl-C.
 *
 * <p>{@link #result()} completes with the mailman's message on a mismatch, empty on a match or
 * when the answer says nothing either way (the connection failed, another ERROR such as
 * LIMIT_REACHED): the check never stops a client for a reason other than a mismatch.
 *
 * <p>One per probe connection, confined to its event loop.
 */
final class DisconnectMsgProbe extends ChannelInboundHandlerAdapter {
    private final String disconnectMsg;
    private final CompletableFuture<Optional<String>> result = new CompletableFuture<>();

    DisconnectMsgProbe(String disconnectMsg) {
        this.disconnectMsg = disconnectMsg;
    }

    /** The mailman's message if its DISCONNECT_MSG differs; empty if it matches or nothing could be learnt. */
    CompletableFuture<Optional<String>> result() {
        return result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new Bye(disconnectMsg));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ErrorMessage e && e.code() == ErrorCode.BAD_DISCONNECT_MSG) {
                result.complete(Optional.of(e.message()));
            } else {
                result.complete(Optional.empty()); // a BYE: the same text; any other answer says nothing about it
            }
        } finally {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        result.complete(Optional.empty());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.complete(Optional.empty());
        ctx.close();
    }
}
