package io.audiosockets.internal.channel;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Why a channel was closed, as far as this side knows, kept on the channel for the line that
 * reports the disconnect: set where the close is decided, read once the channel is inactive.
 */
public final class CloseReason {
    private static final AttributeKey<String> KEY = AttributeKey.valueOf("audiosockets.closeReason");

    private CloseReason() {
    }

    /** Records {@code reason} as why {@code channel} closes, replacing any earlier one. */
    public static void set(Channel channel, String reason) {
        channel.attr(KEY).set(reason);
    }

    /** Records {@code reason} unless a reason is already known: the first explanation is the better one. */
    public static void setIfAbsent(Channel channel, String reason) {
        channel.attr(KEY).setIfAbsent(reason);
    }

    /** The reason recorded for {@code channel}, or {@code otherwise} if none was. */
    public static String of(Channel channel, String otherwise) {
        String reason = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        return reason != null ? reason : otherwise;
    }
}
