package io.audiosockets.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reconnects are 1 Hz on average but jittered, so clients a restarted mailman dropped at the
 * same instant do not all come back at the same instant: the distribution from a seeded random
 * source, exactly; and a real client's attempts against a port that accepts and hangs up.
 */
class ReconnectJitterTest {
    private static final Duration INTERVAL = Duration.ofMillis(1000);

    @Test
    void waitsAreUniformFrom80To120PercentOfTheIntervalWithTheIntervalAsMean() {
        SplittableRandom random = new SplittableRandom(42);
        ReconnectDelay delay = new ReconnectDelay(INTERVAL, random::nextDouble);
        int n = 100_000;
        long interval = INTERVAL.toNanos();
        int[] tenths = new int[10]; // the 80..120 % range cut in ten bins of 4 %
        double sum = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long d = delay.nextNanos();
            sum += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
            tenths[(int) Math.min(9, (d - 0.8 * interval) / (0.04 * interval))]++;
        }
        double mean = sum / n;
        assertThat(mean / interval).as("mean wait over the interval: 1 Hz on average").isBetween(0.995, 1.005);
        assertThat(min).as("shortest wait").isGreaterThanOrEqualTo(Math.round(0.8 * interval));
        assertThat(max).as("longest wait").isLessThanOrEqualTo(Math.round(1.2 * interval));
        for (int bin : tenths) {
            assertThat(bin).as("waits in each 4 %% of the range (uniform: %d each)", n / 10).isBetween(n / 10 - n / 100, n / 10 + n / 100);
        }
    }

    @Test
    void theExtremesOfTheRandomSourceGiveTheExtremesOfTheRange() {
        assertThat(new ReconnectDelay(INTERVAL, () -> 0.0).nextNanos()).isEqualTo(800_000_000L);
        assertThat(new ReconnectDelay(INTERVAL, () -> 0.5).nextNanos()).isEqualTo(1_000_000_000L);
        assertThat(new ReconnectDelay(INTERVAL, () -> Math.nextDown(1.0)).nextNanos()).isEqualTo(1_200_000_000L);
    }

    @Test
    void aRealClientsAttemptsAreSpreadAroundTheInterval() throws Exception {
        // A port that accepts and hangs up at once: each attempt is one accept here, and the client waits one
        // (jittered) interval after each hang-up. Without jitter no attempt can come sooner than the interval after
        // the last: the scheduler never fires early, and noise only adds. With it, about half come sooner.
        long intervalMs = 200;
        int attempts = 30;
        List<Long> accepted = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(30_000);
            NetworkConfig config = NetworkConfig.builder().port(server.getLocalPort()).reconnectInterval(Duration.ofMillis(intervalMs)).build();
            try (ClientConnection client = new ClientConnection("processor 'jitter'", config, null, new SilentCallbacks("jitter", ""), null)) {
                client.start();
                while (accepted.size() < attempts) {
                    Socket s = server.accept();
                    accepted.add(System.nanoTime());
                    s.close();
                }
            }
        }
        List<Double> intervals = new ArrayList<>();
        for (int i = 1; i < accepted.size(); i++) {
            intervals.add((accepted.get(i) - accepted.get(i - 1)) / 1e6);
        }
        double mean = intervals.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(intervals).as("intervals, ms: some sooner than the interval of %d ms (none can be without jitter)", intervalMs)
                .anyMatch(ms -> ms < intervalMs);
        assertThat(mean).as("mean interval, ms, of %s: the interval on average (noise only adds)", intervals)
                .isBetween(0.9 * intervalMs, 1.5 * intervalMs);
    }
}
