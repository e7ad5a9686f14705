package io.audiosockets.mailman;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailman's recent events: the last {@code capacity} kept for {@link MailmanStatus}, each also
 * handed to the listeners. Any thread may record; listeners run on the recording thread (often an
 * event loop), so they must only hand the event on.
 */
final class EventLog {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private final int capacity;
    private final ArrayDeque<MailmanEvent> recent;
    private final List<Consumer<MailmanEvent>> listeners = new CopyOnWriteArrayList<>();

    EventLog(int capacity) {
        this.capacity = capacity;
        this.recent = new ArrayDeque<>(capacity);
    }

    void record(MailmanEvent.Kind kind, String client, String stream, String message) {
        MailmanEvent e = new MailmanEvent(Instant.now(), kind, client, stream, message);
        synchronized (recent) {
            if (recent.size() == capacity) {
                recent.removeFirst();
            }
            recent.addLast(e);
        }
        for (Consumer<MailmanEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException failure) {
                // A listener's bug must not reach the event loop that recorded the event.
                log.warn("a mailman event listener failed on {} (the listener's bug; the mailman carries on)", kind, failure);
            }
        }
    }

    List<MailmanEvent> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    void addListener(Consumer<MailmanEvent> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<MailmanEvent> listener) {
        listeners.remove(listener);
    }
}
