package io.audiosockets.cli;

import io.audiosockets.config.ConfigException;
import io.audiosockets.config.ConfigLoader;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.config.Security;
import io.audiosockets.logging.LoggingSetup;
import java.nio.file.Path;
import java.util.Optional;
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

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
            description = "Overrides TLS_FINGERPRINT: connect with TLS and trust only the mailman certificate with this "
                    + "SHA-256 fingerprint (what 'server --tls-self-signed' prints).")
    String tlsFingerprint;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "Overrides logging_level: trace, debug, info, warning, error or critical.")
    String logLevel;

    /** The file's configuration (or the defaults) with the flags applied; logging set up from it. */
    NetworkConfig load() {
        NetworkConfig.Builder b = base(configFile);
        if (tlsFingerprint != null) {
            NetworkConfig current = b.build();
            Security s = current.security();
            try {
                b.security(s.withTls(true, s.tlsCert(), s.tlsKey(), s.tlsCa(), Optional.of(tlsFingerprint)));
            } catch (ConfigException e) {
                throw new IllegalArgumentException("--tls-fingerprint: " + e.getMessage().replace("key 'TLS_FINGERPRINT': ", ""));
            }
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
