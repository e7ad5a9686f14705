package io.audiosockets.internal.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;

/**
 * Logback's configuration when the user has none: our default {@code logging_format} at
 * {@code info} on stderr, Netty at WARN. Without it a library user would get Logback's own
 * fallback, every DEBUG line of Netty on stdout. Found by Logback through
 * {@code META-INF/services}; not meant to be called.
 *
 * <p>Logback runs service configurators before it looks for {@code logback.xml}, so this one
 * steps aside (lets the next one run) when the user has a configuration file; it is ranked
 * low, so a user's own configurator runs before it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class DefaultLogbackConfigurator extends ContextAwareBase implements Configurator {
    /** The files and property Logback's own configurator looks for: any of them is the user's choice. */
    private static final String[] USER_FILES = {"logback-test.xml", "logback.xml"};
    private static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";

    /** For the service loader. */
    public DefaultLogbackConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userConfigured()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // The constants, not NetworkConfig.defaults(): nothing here may log while Logback is being set up.
        LoggingSetup.Logback.configure(context, NetworkConfig.DEFAULT_LOGGING_FORMAT, LogLevel.INFO, true);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean userConfigured() {
        if (System.getProperty(CONFIG_FILE_PROPERTY) != null) {
            return true;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = DefaultLogbackConfigurator.class.getClassLoader();
        for (String file : USER_FILES) {
            if ((context != null && context.getResource(file) != null) || (own != null && own.getResource(file) != null)) {
                return true;
            }
        }
        return false;
    }
}
