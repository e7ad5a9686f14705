package io.audiosockets.mailman;

import io.audiosockets.config.NetworkConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.internal.PlatformDependent;
import java.net.SocketAddress;
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
        this.registry = new Registry(config.retention(), config.retentionBytes(), config.limits(), ticker,
                new RetentionBudget(retentionMaxBytes(config)), stats, ByteBufAllocator.DEFAULT); // the channels' allocator
        stats.retainedBytesFrom(registry.budget()::usedBytes, registry.budget()::slabBytes);
    }

    /**
     * RETENTION_MAX_BYTES in effect: as configured, or, for 0, half of what this JVM may allocate
     * outside its heap, where the chunks are kept; the other half is headroom for what is being
     * received and sent.
     */
    static long retentionMaxBytes(NetworkConfig config) {
        long configured = config.limits().retentionMaxBytes();
        return configured > 0 ? configured : Math.max(config.maxFrameBytes(), PlatformDependent.maxDirectMemory() / 2);
    }

    /** The recent events and their listeners. */
    final EventLog events = new EventLog(Mailman.RECENT_EVENTS);

    /** Counts a refused handshake by its error code (or TLS_HANDSHAKE_FAILED) and records the event. */
    void refused(String code, SocketAddress peer, String message) {
        stats.refused(code);
        events.record(MailmanEvent.Kind.REFUSED, String.valueOf(peer).replaceFirst("^/", ""), "", code + ": " + message);
    }

    long nextSessionId() {
        return sessionIds.incrementAndGet();
    }
}
