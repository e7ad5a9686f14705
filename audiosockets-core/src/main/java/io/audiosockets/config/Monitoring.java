package io.audiosockets.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How a mailman is watched: its HTTP side (metrics, status, dashboard; served by the
 * {@code audiosockets-http} module) and when a processor that falls behind is reported. Part of
 * {@link NetworkConfig}.
 *
 * @param httpPort {@code HTTP_PORT}: the port of the HTTP side; -1 (the default) for none, 0 for any free port
 * @param httpHost {@code HTTP_HOST}: the address the HTTP side binds; loopback unless set (the dashboard shows every
 *                 stream, so reaching it from other machines is a choice to make, with a token)
 * @param lagWarn {@code LAG_WARN_SECONDS}: a processor this far behind a stream is reported in the log (rate-limited)
 *                and as an event, on the mailman and in the processor's own process; zero for never
 */
public record Monitoring(int httpPort, String httpHost, Duration lagWarn) {
    /** Default {@code HTTP_PORT}: {@value}, no HTTP side. */
    public static final int NO_HTTP = -1;
    /** Default {@code HTTP_HOST}: {@value}. */
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    /** Default {@code LAG_WARN_SECONDS}: 2 s. */
    public static final Duration DEFAULT_LAG_WARN = Duration.ofSeconds(2);
    /** The defaults: no HTTP side, lag reported beyond 2 s. */
    public static final Monitoring DEFAULTS = new Monitoring(NO_HTTP, DEFAULT_HTTP_HOST, DEFAULT_LAG_WARN);

    /** Validates the fields. */
    public Monitoring {
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(lagWarn, "lagWarn");
        if (httpPort < -1 || httpPort > 65535) {
            throw new ConfigException("key 'HTTP_PORT': " + httpPort + " (expected: 0..65535, 0 for any free port, or -1 for no "
                    + "HTTP side)");
        }
        if (httpHost.isBlank()) {
            throw new ConfigException("key 'HTTP_HOST': empty (expected: an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)");
        }
        if (lagWarn.isNegative()) {
            throw new ConfigException("key 'LAG_WARN_SECONDS': " + lagWarn.toMillis() / 1000.0 + " (expected: >= 0, 0 for never)");
        }
    }

    /** Whether the HTTP side is to be served. */
    public boolean httpEnabled() {
        return httpPort >= 0;
    }

    /** A copy with {@code HTTP_PORT} = {@code port}. */
    public Monitoring withHttpPort(int port) {
        return new Monitoring(port, httpHost, lagWarn);
    }

    /** A copy with {@code HTTP_HOST} = {@code host}. */
    public Monitoring withHttpHost(String host) {
        return new Monitoring(httpPort, host, lagWarn);
    }

    /** A copy with {@code LAG_WARN_SECONDS} = {@code lagWarn}. */
    public Monitoring withLagWarn(Duration lagWarn) {
        return new Monitoring(httpPort, httpHost, lagWarn);
    }
}
