package io.audiosockets.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.testkit.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A processor that falls behind says so in its own log, in virtual time: once when a chunk is
 * handed to it more than LAG_WARN_SECONDS after its capture, not again for 30 s while it stays
 * behind, and once when it has caught up.
 */
class LagWatchTest {
    private final AtomicLong epoch = new AtomicLong(1_700_000_000_000_000_000L);
    private final AtomicLong monotonic = new AtomicLong();
    private final LagWatch watch = new LagWatch(LoggerFactory.getLogger(LagWatchTest.class), "processor 'p'", Duration.ofSeconds(2),
            epoch::get, monotonic::get);

    @Test
    void reportsFallingBehindOnceEvery30SecondsAndCatchingUpOnce() {
        try (LogCapture logs = new LogCapture()) {
            watch.observe("mic", epoch.get() - 1_000_000_000L); // 1 s behind: fine
            assertThat(logs.messages()).isEmpty();

            watch.observe("mic", epoch.get() - 3_000_000_000L);
            assertThat(logs.messages()).singleElement().asString()
                    .contains("processor 'p'", "3.0 s behind stream 'mic'", "Make it faster");

            monotonic.addAndGet(Duration.ofSeconds(29).toNanos());
            watch.observe("mic", epoch.get() - 4_000_000_000L);
            assertThat(logs.messages()).as("not again within 30 s").hasSize(1);
            watch.observe("room", epoch.get() - 5_000_000_000L);
            assertThat(logs.messages()).as("each stream on its own").hasSize(2);

            monotonic.addAndGet(Duration.ofSeconds(1).toNanos());
            watch.observe("mic", epoch.get() - 4_000_000_000L);
            assertThat(logs.messages()).as("again after 30 s").hasSize(3);

            watch.observe("mic", epoch.get() - 1_500_000_000L);
            assertThat(logs.messages()).as("1.5 s is not yet caught up (under half the threshold)").hasSize(3);
            watch.observe("mic", epoch.get() - 500_000_000L);
            assertThat(logs.messages()).hasSize(4).last().asString().contains("caught up with stream 'mic'");
            watch.observe("mic", epoch.get() - 100_000_000L);
            assertThat(logs.messages()).hasSize(4);
        }
    }

    @Test
    void zeroTurnsItOff() {
        LagWatch off = new LagWatch(LoggerFactory.getLogger(LagWatchTest.class), "p", Duration.ZERO, epoch::get, monotonic::get);
        try (LogCapture logs = new LogCapture()) {
            off.observe("mic", epoch.get() - 60_000_000_000L);
            assertThat(logs.messages()).isEmpty();
        }
    }
}
