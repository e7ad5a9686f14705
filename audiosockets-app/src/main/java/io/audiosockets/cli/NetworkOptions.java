package io.audiosockets.cli;

import io.audiosockets.internal.config.ConfigLoader;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.logging.LoggingSetup;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options {@code server}, {@code record} and {@code process} share: the config file and the
 * flags that override it. A picocli mixin; the clients' own option is {@link ClientTlsOptions}.
 */
final class NetworkOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Network config file: the paper's server_info.json, unchanged, or with our optional keys "
                    + "(see the README). Without it, the defaults: loopback, port 5050.")
    Path configFile;

    @Option(names = "--host", paramLabel = "HOST", description = "Overrides SERVER: address to bind (server) or connect to (clients).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Overrides PORT.")
    Integer port;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "Overrides logging_level: trace, debug, info, warning, error or critical.")
    String logLevel;

    /** The file's configuration (or the defaults) with the flags applied; logging set up from it. */
    NetworkConfig load() {
        return load(null);
    }

    /** As {@link #load()}, with a client's {@code --tls-fingerprint} applied too ({@code clientTls} null for the server). */
    NetworkConfig load(ClientTlsOptions clientTls) {
        NetworkConfig.Builder b = base(configFile);
        if (clientTls != null) {
            clientTls.applyTo(b);
        }
        if (host != null) {
            b.server(host);
        }
        if (port != null) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("--port " + port + ": expected 0..65535 (0 = any free port)");
            }
            b.port(port);
        }
        return finish(b, logLevel);
    }

    /** The file's configuration, or the defaults, with the tokens of the environment: what every command starts from. */
    static NetworkConfig.Builder base(Path configFile) {
        return (configFile == null ? ConfigLoader.withEnvironment(NetworkConfig.defaults(), System.getenv())
                : ConfigLoader.load(configFile)).toBuilder();
    }

    /** Applies {@code --log-level} (if given), builds, and sets up logging from the result. */
    static NetworkConfig finish(NetworkConfig.Builder b, String logLevel) {
        if (logLevel != null) {
            try {
                b.loggingLevel(LogLevel.parse(logLevel));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--log-level " + e.getMessage());
            }
        }
        NetworkConfig config = b.build();
        LoggingSetup.apply(config);
        return config;
    }
}
