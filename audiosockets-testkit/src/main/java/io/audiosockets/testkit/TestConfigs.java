package io.audiosockets.testkit;

import io.audiosockets.config.NetworkConfig;
import java.time.Duration;

/** Configurations for tests: loopback, an ephemeral port, short timers. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** Loopback, port 0 (the mailman picks), reconnect every 100 ms. */
    public static NetworkConfig.Builder fast() {
        return NetworkConfig.builder().port(0).reconnectInterval(Duration.ofMillis(100));
    }

    /** The same configuration pointed at a running mailman's port. */
    public static NetworkConfig clientOf(NetworkConfig mailmanConfig, int port) {
        return mailmanConfig.toBuilder().port(port).build();
    }
}
