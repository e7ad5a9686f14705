package io.audiosockets.mailman;

import io.audiosockets.config.NetworkConfig;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one mailman shares: its configuration, registry, counters,
 * channel group and ticker. One per {@link Mailman}; nothing here is global.
 */
final class MailmanContext {
    /** How a connection is named in log lines: "processor 'VAD' #7 /127.0.0.1:40312". */
    static final AttributeKey<String> LABEL = AttributeKey.valueOf("audiosockets.label");

    final NetworkConfig config;
    final Registry registry;
    final MailmanStats stats = new MailmanStats();
    final ChannelGroup channels;
    final String serverName;
    /** The time every decision of this mailman reads (see {@link Ticker}). */
    final Ticker ticker;
    private final AtomicLong sessionIds = new AtomicLong();

    MailmanContext(NetworkConfig config, ChannelGroup channels, String serverName, Ticker ticker) {
        this.config = config;
        this.channels = channels;
        this.serverName = serverName;
        this.ticker = ticker;
        this.registry = new Registry(config.retention(), config.retentionBytes(), config.limits(), ticker);
    }

    long nextSessionId() {
        return sessionIds.incrementAndGet();
    }
}
