package io.audiosockets.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.config.PythonLogFormat;
import org.slf4j.LoggerFactory;

/**
 * Applies the configuration's {@code logging_format} (Python style, translated) and
 * {@code logging_level} to Logback. Logs go to stderr, so stdout carries only the data lines a
 * command prints.
 */
final class LoggingSetup {
    private LoggingSetup() {
    }

    static void apply(NetworkConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another SLF4J backend was chosen by the user: leave it alone
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PythonLogFormat.toLogbackPattern(config.loggingFormat()));
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(toLogback(config.loggingLevel()));
        // Netty's own chatter is useful only when debugging the transport itself.
        ctx.getLogger("io.netty").setLevel(config.loggingLevel() == LogLevel.TRACE ? Level.DEBUG : Level.WARN);
    }

    private static Level toLogback(LogLevel level) {
        return switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR -> Level.ERROR;
        };
    }
}
