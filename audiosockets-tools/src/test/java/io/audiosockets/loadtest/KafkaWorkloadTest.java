package io.audiosockets.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.kafka.KafkaBroker;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bench kafka} run briefly against an embedded mailman and a real KRaft broker (a child JVM
 * on loopback): each case without and with the bridge, the way through Kafka measured beside the
 * direct one, every chunk through Kafka to every consumer group, nothing lost. Never for speed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaWorkloadTest {
    @Test
    void latencyAndFanoutThroughKafkaLoseNothingBesideTheDirectFigures() throws Exception {
        try (KafkaBroker broker = KafkaBroker.startNew()) {
            NetworkConfig client = TestConfigs.fast().build();
            BenchSettings s = new BenchSettings(Workload.KAFKA, Duration.ofMillis(1_500), Duration.ofMillis(1_000), List.of(320),
                    List.of(2), List.of(3), false, 10, Optional.empty(), 0, client, Optional.of(broker.bootstrap()));
            BenchReport report;
            try (MailmanTarget target = MailmanTarget.embedded(BenchRunner.mailmanConfig(s, client))) {
                report = BenchRunner.run(s, target, "test");
            }

            assertThat(report.failures()).isEmpty();
            assertThat(report.results()).hasSize(4);
            LatencyResult direct = (LatencyResult) report.results().get(0);
            LatencyResult bridged = (LatencyResult) report.results().get(1);
            assertThat(direct.kafka()).as("the first latency case has no bridge").isNull();
            assertThat(direct.lost()).isZero();
            KafkaFigures k = bridged.kafka();
            assertThat(k).as("the second has the way through Kafka").isNotNull();
            assertThat(k.partitions()).isEqualTo(3);
            assertThat(k.expected()).isEqualTo(bridged.chunksCaptured()).isPositive();
            assertThat(k.delivered()).isEqualTo(k.expected());
            assertThat(k.lost()).isZero();
            assertThat(k.recordsWritten()).isEqualTo(bridged.chunksCaptured());
            assertThat(k.latency().count()).isPositive();
            assertThat(k.latency().ordered()).isTrue();
            assertThat(bridged.rows()).hasSize(2).last().asString().contains("via Kafka");

            FanoutResult fanDirect = (FanoutResult) report.results().get(2);
            FanoutResult fanKafka = (FanoutResult) report.results().get(3);
            assertThat(fanDirect.kafka()).isNull();
            assertThat(fanDirect.everyChunkEverywhere()).isTrue();
            assertThat(fanKafka.everyChunkEverywhere()).as("every chunk through Kafka to both groups, in order, same checksum")
                    .isTrue();
            assertThat(fanKafka.kafka().consumers()).isEqualTo(2);
            assertThat(fanKafka.kafka().delivered()).isEqualTo(2 * fanKafka.chunksSent()).isPositive();
            assertThat(fanKafka.kafka().recordsWritten()).isEqualTo(fanKafka.chunksSent());
        }
    }
}
