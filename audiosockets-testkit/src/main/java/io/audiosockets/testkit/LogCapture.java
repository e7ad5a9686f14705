package io.audiosockets.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what the real logging backend receives, so a test can assert on log lines. */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** Starts capturing everything the root logger receives, until {@link #close()}. */
    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** Every formatted message so far. */
    public List<String> messages() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** True if some message contains every one of {@code parts}. */
    public boolean has(String... parts) {
        return messages().stream().anyMatch(m -> java.util.Arrays.stream(parts).allMatch(m::contains));
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
