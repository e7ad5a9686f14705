package io.audiosockets.cli;

import io.audiosockets.config.ConfigLoader;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every command shares: the config file and the flags that override it.
 * A picocli mixin.
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
        NetworkConfig.Builder b = configFile == null ? NetworkConfig.builder() : ConfigLoader.load(configFile).toBuilder();
        if (host != null) {
            b.server(host);
        }
        if (port != null) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("--port " + port + ": expected 0..65535 (0 = any free port)");
            }
            b.port(port);
        }
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
