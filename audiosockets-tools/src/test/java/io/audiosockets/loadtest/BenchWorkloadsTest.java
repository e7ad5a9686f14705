package io.audiosockets.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each workload run briefly against a real mailman on a loopback port, its report checked for
 * consistency: counts add up, nothing is lost where nothing may be, percentiles are ordered.
 * Never for speed: this machine's speed is not what is under test.
 */
class BenchWorkloadsTest {
    private static final Duration SHORT = Duration.ofMillis(1_000);
    private static final Duration WARMUP = Duration.ofMillis(300);

    private static BenchSettings settings(Workload w, List<Integer> samples, List<Integer> processors, List<Integer> recorders,
                                          boolean oneToOne) {
        NetworkConfig client = TestConfigs.fast().build();
        return new BenchSettings(w, SHORT, WARMUP, samples, processors, recorders, oneToOne, 10, Optional.empty(), 0, client);
    }

    private static BenchReport run(BenchSettings s) throws Exception {
        try (MailmanTarget target = s.workload() == Workload.BASELINE ? MailmanTarget.none()
                : MailmanTarget.embedded(BenchRunner.mailmanConfig(s, s.clientConfig()))) {
            return BenchRunner.run(s, target, "test");
        }
    }

    @Test
    void fanoutDeliversEveryChunkToEveryProcessorAndSetsItBesideTheRelay() throws Exception {
        BenchReport report = run(settings(Workload.FANOUT, List.of(320), List.of(1, 3), List.of(1), false));

        assertThat(report.failures()).isEmpty();
        assertThat(report.results()).hasSize(2).allSatisfy(r -> {
            FanoutResult f = (FanoutResult) r;
            assertThat(f.everyChunkEverywhere()).isTrue();
            assertThat(f.chunksSent()).isPositive();
            // Over the measured interval each processor gets at most what was sent in the whole run.
            assertThat(f.deliveries()).isPositive().isLessThanOrEqualTo(f.chunksSent() * f.processors());
            // seconds is reported to the millisecond, so the rate it gives back agrees within 0.1 %, not exactly.
            assertThat(f.deliveriesPerSecond()).isCloseTo(f.deliveries() / f.seconds(), within(2 + f.deliveriesPerSecond() * 0.001)); // both rounded: a whole delivery per second, and the seconds to 3 places
            assertThat(f.megabytesPerSecond()).isCloseTo(f.deliveriesPerSecond() * 320 * 4 / 1e6, within(0.1));
            assertThat(f.relay().everyFrameEverywhere()).isTrue();
            assertThat(f.relay().receivers()).isEqualTo(f.processors());
            assertThat(f.ratioToRelay()).isCloseTo(f.deliveriesPerSecond() / f.relay().deliveriesPerSecond(), within(0.001));
            assertThat(f.bench().cores()).isPositive();
        });
        assertThat(((FanoutResult) report.results().get(1)).processors()).isEqualTo(3);
    }

    @Test
    void latencyLosesNothingAndCountsEveryDeliveryWhetherProcessorsShareStreamsOrNot() throws Exception {
        BenchReport shared = run(settings(Workload.LATENCY, List.of(320), List.of(2), List.of(2), false));
        BenchReport paired = run(settings(Workload.LATENCY, List.of(320), List.of(1), List.of(3), true));

        assertThat(shared.failures()).isEmpty();
        assertThat(paired.failures()).isEmpty();
        LatencyResult s = (LatencyResult) shared.results().get(0);
        assertThat(s.lost()).isZero();
        assertThat(s.deliveriesExpected()).isEqualTo(s.chunksCaptured() * 2).isEqualTo(s.deliveries());
        LatencyResult p = (LatencyResult) paired.results().get(0);
        assertThat(p.processors()).isEqualTo(3);
        assertThat(p.oneToOne()).isTrue();
        assertThat(p.deliveriesExpected()).isEqualTo(p.chunksCaptured()).isEqualTo(p.deliveries());
        for (LatencyResult r : List.of(s, p)) {
            assertThat(r.latency().ordered()).as("latency percentiles ordered: %s", r.latency()).isTrue();
            assertThat(r.ack().ordered()).as("ack percentiles ordered: %s", r.ack()).isTrue();
            // 50 chunks/s per recorder over ~1 s measured, every processor timing each of its chunks.
            assertThat(r.latency().count()).isPositive().isLessThanOrEqualTo(r.deliveries());
            assertThat(r.ack().count()).isPositive().isLessThanOrEqualTo(r.chunksCaptured());
            assertThat(r.latency().p50Ms()).isPositive();
        }
    }

    @Test
    void latencyWithSharedClientThreadsRunsTheProcessorsOnSharedThreadsAndLosesNothing() throws Exception {
        NetworkConfig client = TestConfigs.fast().build();
        // --client-threads 2: the clients share event loops, so the processors' code shares ProcessorThreads too.
        BenchSettings s = new BenchSettings(Workload.LATENCY, SHORT, WARMUP, List.of(320), List.of(1), List.of(6), true, 10,
                Optional.empty(), 2, client);
        try (MailmanTarget target = MailmanTarget.embedded(BenchRunner.mailmanConfig(s, s.clientConfig()));
             RunContext ctx = new RunContext(s, target)) {
            assertThat(ctx.processorThreadsFor(ctx.loopsFor(12))).as("shared loops, shared processor threads").isNotNull();
            assertThat(ctx.processorThreadsFor(null)).as("a loop per client, a thread per processor").isNull();
        }
        BenchReport report = run(s);

        assertThat(report.failures()).as("no loss, no chunk out of order").isEmpty();
        LatencyResult r = (LatencyResult) report.results().get(0);
        assertThat(r.processors()).isEqualTo(6);
        assertThat(r.lost()).isZero();
        assertThat(r.deliveriesExpected()).isEqualTo(r.chunksCaptured()).isEqualTo(r.deliveries());
    }

    @Test
    void theSlowProcessorFallsBehindWhileTheNormalOneLosesNothing() throws Exception {
        BenchReport report = run(settings(Workload.SLOW, List.of(320), List.of(1), List.of(1), false));

        assertThat(report.failures()).isEmpty();
        SlowResult r = (SlowResult) report.results().get(0);
        assertThat(r.slowWorkMs()).isEqualTo(200.0);
        assertThat(r.normalLost()).isZero();
        assertThat(r.recorderDropped()).isZero();
        assertThat(r.slowGapChunks() + r.slowBehind()).as("the slow processor has gaps or is behind").isPositive();
        for (Percentiles p : List.of(r.ackAlone(), r.ackWithSlow(), r.normalAlone(), r.normalWithSlow())) {
            assertThat(p.count()).isPositive();
            assertThat(p.ordered()).as("ordered: %s", p).isTrue();
        }
    }

    @Test
    void aCutProcessorCostsTheOthersNothing() throws Exception {
        BenchReport report = run(settings(Workload.CRASH, List.of(320), List.of(1), List.of(1), false));

        assertThat(report.failures()).isEmpty();
        CrashResult r = (CrashResult) report.results().get(0);
        assertThat(r.survivorLost()).isZero();
        assertThat(r.recorderLost()).isZero();
        assertThat(r.recorderDisconnects()).isZero();
        assertThat(r.survivorDisconnects()).isZero();
        assertThat(r.victimProcessedBeforeCut()).isPositive();
        assertThat(r.mailmanNoticedMs()).as("an embedded mailman is watched").isNotNegative();
        assertThat(r.survivorAfter().count()).isPositive();
        assertThat(r.survivorAfter().ordered()).isTrue();
        assertThat(r.ackAfter().ordered()).isTrue();
    }

    @Test
    void theRawRelayDeliversEveryFrameInThroughputAndLatencyModes() throws Exception {
        BenchReport report = run(settings(Workload.BASELINE, List.of(320), List.of(2), List.of(1), false));

        assertThat(report.failures()).isEmpty();
        assertThat(report.results()).hasSize(2);
        RelayResult throughput = (RelayResult) report.results().get(0);
        RelayResult latency = (RelayResult) report.results().get(1);
        assertThat(throughput.mode()).isEqualTo("throughput");
        assertThat(throughput.everyFrameEverywhere()).isTrue();
        assertThat(throughput.deliveries()).isPositive().isLessThanOrEqualTo(throughput.framesSent() * 2);
        assertThat(latency.mode()).isEqualTo("latency");
        assertThat(latency.everyFrameEverywhere()).isTrue();
        assertThat(latency.latency().count()).isPositive();
        assertThat(latency.latency().ordered()).isTrue();
    }

    @Test
    void idleProcessorsAreCountedAndMeasured() throws Exception {
        BenchReport report = run(settings(Workload.IDLE, List.of(320), List.of(20), List.of(1), false));

        assertThat(report.failures()).isEmpty();
        IdleResult r = (IdleResult) report.results().get(0);
        assertThat(r.connections()).isEqualTo(20);
        assertThat(r.mailmanInThisJvm()).isTrue();
        assertThat(r.connectSeconds()).isPositive();
        assertThat(r.benchRssMb()).isPositive();
        assertThat(r.mailmanHeapPerConnectionBytes()).as("no forked mailman").isEqualTo(-1);
    }

    @Test
    void watchedLatencyReportsWhatAnOpenDashboardAndTheMetricsScraperReceived() throws Exception {
        // Long enough that one status message (1 s) and one scrape (1 s) fall inside it even on a loaded machine.
        BenchSettings s = new BenchSettings(Workload.LATENCY, Duration.ofSeconds(3), WARMUP, List.of(320), List.of(2), List.of(1), false,
                10, Optional.empty(), 0, TestConfigs.fast().build());
        BenchReport report;
        try (MailmanTarget target = MailmanTarget.embedded(BenchRunner.mailmanConfig(s, s.clientConfig()), true)) {
            assertThat(target.httpBase()).isPresent();
            report = BenchRunner.run(s, target, "test");
        }

        assertThat(report.failures()).isEmpty();
        assertThat(report.settings().watched()).isTrue();
        LatencyResult r = (LatencyResult) report.results().get(0);
        assertThat(r.lost()).isZero();
        WatchResult w = r.watch();
        assertThat(w).isNotNull();
        assertThat(w.dashboardOpenThroughout()).isTrue();
        assertThat(w.audioMessages()).isPositive();
        assertThat(w.statusMessages()).isPositive();
        assertThat(w.dashboardMessages()).isEqualTo(w.audioMessages() + w.statusMessages());
        assertThat(w.dashboardKilobytes()).isPositive();
        assertThat(w.scrapes()).isPositive();
        assertThat(w.scrapeFailures()).isZero();
        assertThat(w.metricsKilobytes()).isPositive();
        assertThat(w.scrapeMaxMs()).isGreaterThanOrEqualTo(w.scrapeP50Ms()).isPositive();
    }
}
