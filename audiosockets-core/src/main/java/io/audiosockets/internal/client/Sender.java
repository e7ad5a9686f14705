package io.audiosockets.internal.client;

import io.netty.channel.Channel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends what a client has buffered (a recorder's chunks, a publisher's records) on its
 * connection's event loop: as much as its {@link Source} allows while the channel is writable,
 * with one flush for the lot, and nothing while the connection is not welcomed (what waits goes
 * out after the next WELCOME). Wakes from any thread coalesce into one run on the loop, so a
 * producer may wake it per item at no cost.
 *
 * <p>{@link #wake()} may be called from any thread; {@link #sendNow()} and the source run on the
 * connection's event loop.
 */
public final class Sender {
    /** What there is to send. Called on the connection's event loop. */
    public interface Source {
        /**
         * Writes the next item to {@code channel}, without flushing, and returns true; or returns
         * false if nothing may be sent now (nothing waits, or the window is full).
         */
        boolean writeNext(Channel channel);
    }

    private final ClientConnection connection;
    private final Source source;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable sendTask = this::sendNow;

    /** A sender of {@code source}'s items on {@code connection}. */
    public Sender(ClientConnection connection, Source source) {
        this.connection = Objects.requireNonNull(connection, "connection == null");
        this.source = Objects.requireNonNull(source, "source == null");
    }

    /** Sends what can be sent, soon, on the event loop. Any thread. */
    public void wake() {
        if (scheduled.compareAndSet(false, true)) {
            connection.eventLoop().execute(sendTask);
        }
    }

    /** Sends what can be sent, now. On the event loop only. */
    public void sendNow() {
        scheduled.set(false);
        Channel ch = connection.channelIfWelcomed();
        if (ch == null) {
            return;
        }
        boolean wrote = false;
        while (ch.isWritable() && source.writeNext(ch)) {
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
    }
}
