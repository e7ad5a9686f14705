package io.audiosockets.mailman;

import io.audiosockets.config.NetworkConfig;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one mailman shares: its configuration, registry, counters and
 * channel group. One per {@link Mailman}; nothing here is global.
 */
final class MailmanContext {
    /** How a connection is named in log lines: "processor 'VAD' #7 /127.0.0.1:40312". */
    static final AttributeKey<String> LABEL = AttributeKey.valueOf("audiosockets.label");

    final NetworkConfig config;
    final Registry registry;
    final MailmanStats stats = new MailmanStats();
    final ChannelGroup channels;
    final String serverName;
    private final AtomicLong sessionIds = new AtomicLong();

    MailmanContext(NetworkConfig config, ChannelGroup channels, String serverName) {
        this.config = config;
        this.channels = channels;
        this.serverName = serverName;
        this.registry = new Registry(config.retention(), config.retentionBytes(), config.limits());
    }

    long nextSessionId() {
        return sessionIds.incrementAndGet();
    }
}
