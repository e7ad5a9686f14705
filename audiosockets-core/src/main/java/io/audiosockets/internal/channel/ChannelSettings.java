package io.audiosockets.internal.channel;

import io.audiosockets.config.NetworkConfig;
import io.netty.channel.WriteBufferWaterMark;

/** The channel settings the mailman and its clients share. */
public final class ChannelSettings {
    /**
     * When a channel stops being writable (1 MiB queued) and becomes writable again (256 KiB): the
     * senders stop writing meanwhile, so a slow peer holds them back instead of filling memory.
     */
    public static final WriteBufferWaterMark WRITE_BUFFER_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private ChannelSettings() {
    }

    /**
     * The idle timers of the heartbeat, for a {@link ControlFrameHandler} further down the
     * pipeline: reader idle after {@code HEARTBEAT_TIMEOUT_SECONDS} without a byte read, writer idle
     * after {@code HEARTBEAT_SECONDS} without a write (made, not completed: see {@link HeartbeatIdleHandler}). Goes first after TLS, so any byte read resets
     * the reader timer and any write the writer timer.
     */
    public static HeartbeatIdleHandler idleStateHandler(NetworkConfig config) {
        return new HeartbeatIdleHandler(config.heartbeatTimeout().toMillis(), config.heartbeat().toMillis());
    }
}
