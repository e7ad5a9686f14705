package io.audiosockets.mailman;

import io.netty.channel.ChannelHandlerContext;

/** How a connection is named in log lines. */
final class Labels {
    private Labels() {
    }

    static String of(ChannelHandlerContext ctx) {
        String label = ctx.channel().attr(MailmanContext.LABEL).get();
        return label != null ? label : "unregistered client " + ctx.channel().remoteAddress();
    }
}
