package io.audiosockets.internal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.config.PythonLogFormat;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Applies a configuration's {@code logging_format} (Python style, translated) and
 * {@code logging_level} to Logback. Logs go to stderr, so stdout carries only what a program
 * prints.
 *
 * <p>Two entry points: {@link #apply} always applies (the command line, whose flags are the
 * user's choice), {@link #applyIfDefault} only while the logging is still our default (a
 * library user who created a processor, recorder or mailman from a config file and configured
 * nothing else). Both do nothing when SLF4J is bound to another backend, or when Logback is
 * excluded from the classpath.
 */
public final class LoggingSetup {
    /** The Logback context object that marks a configuration as ours, not the user's. */
    static final String DEFAULT_MARKER = "io.audiosockets.logging.default";
    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    private LoggingSetup() {
    }

    /**
     * Applies {@code config}'s logging format and level to Logback, replacing whatever was
     * configured before. Does nothing if Logback is not the SLF4J backend.
     */
    public static void apply(NetworkConfig config) {
        Objects.requireNonNull(config, "config == null");
        if (logbackActive()) {
            Logback.apply(config, false);
        }
    }

    /**
     * Applies {@code config}'s logging format and level only if Logback is the SLF4J backend
     * and its configuration is still the one {@link DefaultLogbackConfigurator} made: no
     * {@code logback.xml} (or {@code logback-test.xml}, or {@code -Dlogback.configurationFile}),
     * no reconfiguration by the user, and no earlier call of either method. The first config
     * file thus decides; a user's own logging is never touched.
     *
     * @return true if it applied the configuration
     */
    public static boolean applyIfDefault(NetworkConfig config) {
        Objects.requireNonNull(config, "config == null");
        return logbackActive() && Logback.applyIfDefault(config);
    }

    // By class name: with Logback excluded, naming its classes here would fail to link.
    private static boolean logbackActive() {
        return LoggerFactory.getILoggerFactory().getClass().getName().equals(LOGBACK_CONTEXT);
    }

    /** Everything that touches Logback's classes, loaded only once Logback is known to be there. */
    static final class Logback {
        private Logback() {
        }

        static synchronized boolean applyIfDefault(NetworkConfig config) {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            if (ctx.getObject(DEFAULT_MARKER) == null) {
                return false;
            }
            apply(config, false);
            return true;
        }

        /** Configures {@code ctx}'s root logger; {@code markDefault} says whether the result still counts as nobody's choice. */
        static synchronized void apply(NetworkConfig config, boolean markDefault) {
            configure((LoggerContext) LoggerFactory.getILoggerFactory(), config.loggingFormat(), config.loggingLevel(), markDefault);
        }

        static void configure(LoggerContext ctx, String pythonFormat, LogLevel level, boolean markDefault) {
            Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(ctx);
            encoder.setPattern(PythonLogFormat.toLogbackPattern(pythonFormat));
            encoder.start();
            ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setContext(ctx);
            appender.setName("STDERR");
            appender.setTarget("System.err");
            appender.setEncoder(encoder);
            appender.start();
            root.detachAndStopAllAppenders();
            root.addAppender(appender);
            root.setLevel(toLogback(level));
            // Netty's own chatter is useful only when debugging the transport itself.
            ctx.getLogger("io.netty").setLevel(level == LogLevel.TRACE ? Level.DEBUG : Level.WARN);
            if (markDefault) {
                ctx.putObject(DEFAULT_MARKER, Boolean.TRUE);
            } else {
                ctx.removeObject(DEFAULT_MARKER);
            }
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
}
