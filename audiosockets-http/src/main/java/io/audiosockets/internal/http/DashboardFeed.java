package io.audiosockets.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.mailman.MailmanEvent;
import io.audiosockets.mailman.MailmanStatus;
import io.audiosockets.mailman.StreamStatus;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the dashboard's messages to every open dashboard (WebSocket), from a thread of its own
 * ("mailman-dashboard") that runs only while at least one is open: every {@value #TICK_MILLIS} ms
 * the level and new spectrogram columns of each audio stream ({@link StreamWatch}) and the events
 * since the last tick; every second the whole status. Message formats: {@code docs/HTTP-API.md}.
 *
 * <p>Bounded whatever the viewers do: a dashboard whose connection is not writable (a browser
 * that does not read, a slow link) skips messages until it is, so at most the write-buffer
 * watermark is queued for it; events wait in a queue of {@value #MAX_PENDING_EVENTS} (the oldest
 * go first); a stream's spectrogram is computed once per tick whatever the number of viewers.
 */
public final class DashboardFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardFeed.class);
    /** How often levels and spectrogram columns are pushed: {@value} ms. */
    static final long TICK_MILLIS = 100;
    /** Status every this many ticks (1 s). */
    private static final int STATUS_EVERY = 10;
    /** Events kept for the next tick at most. */
    static final int MAX_PENDING_EVENTS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mailman mailman;
    private final Set<Channel> viewers = ConcurrentHashMap.newKeySet();
    private final ArrayBlockingQueue<MailmanEvent> pending = new ArrayBlockingQueue<>(MAX_PENDING_EVENTS);
    private final Consumer<MailmanEvent> onEvent = this::onEvent;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mailman-dashboard");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong skipped = new AtomicLong();
    // Owned by the dashboard thread.
    private final Map<String, StreamWatch> watches = new HashMap<>();
    private ScheduledFuture<?> ticking;
    private int tick;
    private List<StreamStatus> audioStreams = List.of();
    private boolean statusPending;

    /** A feed of {@code mailman}'s figures and audio; idle until a dashboard opens. */
    public DashboardFeed(Mailman mailman) {
        this.mailman = mailman;
    }

    /** A dashboard opened on {@code ch}: it gets the status and recent events at once, then the feed. */
    void open(Channel ch) {
        viewers.add(ch);
        ch.closeFuture().addListener(f -> close(ch));
        thread.execute(() -> {
            if (ticking == null) {
                mailman.addEventListener(onEvent);
                tick = 0;
                // Fixed delay: a tick that ran late is not followed by a burst of catch-up ticks.
                ticking = thread.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
                log.info("dashboard opened: computing levels and spectrograms while one is open");
            }
        });
    }

    private void close(Channel ch) {
        viewers.remove(ch);
        thread.execute(() -> {
            if (viewers.isEmpty() && ticking != null) {
                ticking.cancel(false);
                ticking = null;
                mailman.removeEventListener(onEvent);
                pending.clear();
                watches.clear();
                log.info("last dashboard closed: no more levels or spectrograms computed ({} messages skipped for slow viewers)",
                        skipped.get());
            }
        });
    }

    // On the thread that had the event (often an event loop of the mailman): only queue it.
    private void onEvent(MailmanEvent e) {
        while (!pending.offer(e)) {
            pending.poll(); // full: the oldest goes, the viewer is told how many it missed by the status's events list
        }
    }

    private void tick() {
        try {
            if (tick++ % STATUS_EVERY == 0 && !statusPending) {
                // Asked without waiting: busy event loops delay the status, never the levels (read off the loops).
                statusPending = true;
                mailman.statusAsync().orTimeout(5, TimeUnit.SECONDS)
                        .whenComplete((s, e) -> thread.execute(() -> onStatus(s, e)));
            }
            ObjectNode msg = JSON.createObjectNode();
            msg.put("type", "audio");
            ArrayNode streams = msg.putArray("streams");
            Map<String, StreamWatch> still = new HashMap<>();
            for (StreamStatus st : audioStreams) {
                StreamWatch w = watches.computeIfAbsent(st.name(), StreamWatch::new);
                still.put(st.name(), w);
                long now = System.nanoTime();
                w.look(mailman.recentAudio(st.name(), w.lastSeq(), w.chunksToRead(now)), streams.addObject(), now);
            }
            watches.keySet().retainAll(still.keySet());
            List<MailmanEvent> events = new ArrayList<>();
            pending.drainTo(events);
            if (!events.isEmpty()) {
                ArrayNode ev = msg.putArray("events");
                events.forEach(e -> ev.add(StatusJson.event(e)));
            }
            broadcast(msg.toString());
        } catch (RuntimeException e) {
            // A failed tick must not end the schedule (a periodic task that throws never runs again).
            log.warn("dashboard update failed (the dashboard shows the previous figures): {}", e.toString());
        }
    }

    private void onStatus(MailmanStatus s, Throwable failure) {
        statusPending = false;
        if (failure != null) {
            log.warn("dashboard status update failed (the dashboard shows the previous status): {}", failure.toString());
            return;
        }
        if (ticking == null) {
            return; // the last viewer left meanwhile
        }
        audioStreams = s.streams().stream().filter(st -> st.kind().equals("audio")).toList();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("type", "status");
        msg.set("status", StatusJson.tree(s));
        broadcast(msg.toString());
    }

    private void broadcast(String text) {
        for (Channel ch : viewers) {
            if (ch.isWritable()) {
                ch.writeAndFlush(new TextWebSocketFrame(text), ch.voidPromise());
            } else {
                skipped.incrementAndGet();
            }
        }
    }

    /** Messages not sent to a viewer whose connection was full. */
    long skipped() {
        return skipped.get();
    }

    /** Stops the feed's thread. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
