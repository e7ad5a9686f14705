package io.audiosockets.internal.client;

import io.audiosockets.client.IoThreads;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** {@link IoThreads} as what the clients' connections run on: a Netty event loop group. */
public final class SharedEventLoops implements IoThreads {
    private final EventLoopGroup group;
    private final int threads;

    /** A group of {@code threads} event loops whose threads are named {@code name-N}. */
    public SharedEventLoops(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads : " + threads + " (expected: >= 1)");
        }
        this.threads = threads;
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory(name));
    }

    /**
     * The event loop group behind {@code threads}, or null when it is null (the client then runs a
     * loop of its own).
     *
     * @throws IllegalArgumentException if {@code threads} was not made by {@link IoThreads#create}
     */
    public static EventLoopGroup groupOf(IoThreads threads) {
        if (threads == null) {
            return null;
        }
        if (!(threads instanceof SharedEventLoops s)) {
            throw new IllegalArgumentException("ioThreads : a " + threads.getClass().getName()
                    + " (expected: one made by IoThreads.create)");
        }
        return s.group;
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
