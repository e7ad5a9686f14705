package io.audiosockets.mailman;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A log's end of life, alone: quiet since the last activity, and the ended flag. */
class LogLifetimeTest {

    @Test
    void theQuietCountsFromTheLastActivity() {
        LogLifetime life = new LogLifetime(1_000);
        assertThat(life.quietNanos(1_000)).isZero();
        assertThat(life.quietNanos(5_000)).isEqualTo(4_000);
        life.active(4_000);
        assertThat(life.quietNanos(5_000)).isEqualTo(1_000);
    }

    @Test
    void theEndIsSeenByAnotherThreadWithoutTheLock() throws Exception {
        LogLifetime life = new LogLifetime(0);
        assertThat(life.ended()).isFalse();
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            while (!life.ended()) {
                Thread.onSpinWait();
            }
            return true;
        });
        life.markEnded();
        assertThat(seen.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(life.ended()).isTrue();
    }
}
