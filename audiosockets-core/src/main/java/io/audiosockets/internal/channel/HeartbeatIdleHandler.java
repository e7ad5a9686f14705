package io.audiosockets.internal.channel;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat's two timers: {@link IdleStateEvent#READER_IDLE_STATE_EVENT} when nothing was read
 * for {@code readerIdleNanos}, {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT} when nothing was
 * written for {@code writerIdleNanos}, for a {@link ControlFrameHandler} further down the pipeline.
 *
 * <p>Netty's {@code IdleStateHandler} does the same, but to time writes from their completion it
 * swaps each write's void promise for a real one with a listener: two objects per frame written,
 * the largest source of garbage on the mailman's event loops (JFR, fan-out to 16 processors). A
 * heartbeat only needs to know that something was handed to the socket lately, so this handler
 * stamps the time a write is made and leaves the promise alone.
 *
 * <p>Confined to the channel's event loop.
 */
public final class HeartbeatIdleHandler extends ChannelDuplexHandler {
    private final long readerIdleNanos;
    private final long writerIdleNanos;
    private long lastReadNanos;
    private long lastWriteNanos;
    private boolean reading;
    private boolean started;
    private ScheduledFuture<?> readerTimeout;
    private ScheduledFuture<?> writerTimeout;

    /** Timers of {@code readerIdleMillis} and {@code writerIdleMillis} (both &gt; 0). */
    public HeartbeatIdleHandler(long readerIdleMillis, long writerIdleMillis) {
        if (readerIdleMillis <= 0 || writerIdleMillis <= 0) {
            throw new IllegalArgumentException("idle times : " + readerIdleMillis + ", " + writerIdleMillis + " ms (expected: > 0)");
        }
        this.readerIdleNanos = TimeUnit.MILLISECONDS.toNanos(readerIdleMillis);
        this.writerIdleNanos = TimeUnit.MILLISECONDS.toNanos(writerIdleMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
        super.channelRegistered(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading) {
            lastReadNanos = System.nanoTime();
            reading = false;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastWriteNanos = System.nanoTime();
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        lastReadNanos = lastWriteNanos = System.nanoTime();
        readerTimeout = ctx.executor().schedule(() -> checkReader(ctx), readerIdleNanos, TimeUnit.NANOSECONDS);
        writerTimeout = ctx.executor().schedule(() -> checkWriter(ctx), writerIdleNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        started = false;
        if (readerTimeout != null) {
            readerTimeout.cancel(false);
            readerTimeout = null;
        }
        if (writerTimeout != null) {
            writerTimeout.cancel(false);
            writerTimeout = null;
        }
    }

    private void checkReader(ChannelHandlerContext ctx) {
        if (!started || !ctx.channel().isOpen()) {
            return;
        }
        long left = reading ? readerIdleNanos : readerIdleNanos - (System.nanoTime() - lastReadNanos);
        if (left <= 0) {
            readerTimeout = ctx.executor().schedule(() -> checkReader(ctx), readerIdleNanos, TimeUnit.NANOSECONDS);
            ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        } else {
            readerTimeout = ctx.executor().schedule(() -> checkReader(ctx), left, TimeUnit.NANOSECONDS);
        }
    }

    private void checkWriter(ChannelHandlerContext ctx) {
        if (!started || !ctx.channel().isOpen()) {
            return;
        }
        long left = writerIdleNanos - (System.nanoTime() - lastWriteNanos);
        if (left <= 0) {
            writerTimeout = ctx.executor().schedule(() -> checkWriter(ctx), writerIdleNanos, TimeUnit.NANOSECONDS);
            ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        } else {
            writerTimeout = ctx.executor().schedule(() -> checkWriter(ctx), left, TimeUnit.NANOSECONDS);
        }
    }
}
