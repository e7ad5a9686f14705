package io.audiosockets.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.testkit.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The scale workload against real mailmans on loopback ports: one in a child JVM (its CPU, RSS
 * and GC pauses must be read), one in this JVM. Checks that the counts add up and that a loss is
 * reported; never speed, which is this machine's, not the code's.
 */
class ScaleWorkloadTest {
    private static final NetworkConfig CLIENT = TestConfigs.fast().build();

    private static BenchSettings settings(List<Integer> processors, int recorders, boolean oneToOne, Duration duration) {
        return new BenchSettings(Workload.SCALE, duration, Duration.ofMillis(500), List.of(320), processors, List.of(recorders),
                oneToOne, 10, Optional.empty(), 0, CLIENT);
    }

    private static MailmanTarget forkedMailman(BenchSettings s) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return MailmanTarget.forked(BenchRunner.mailmanConfig(s, CLIENT),
                List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), ForkedMailmanMain.class.getName()));
    }

    @Test
    void twentyRecordersOneToOneAgainstAForkedMailmanLoseNothingAndTheMailmansCostIsMeasured() throws Exception {
        BenchSettings s = settings(List.of(1), 20, true, Duration.ofSeconds(2));
        BenchReport report;
        try (MailmanTarget target = forkedMailman(s)) {
            report = BenchRunner.run(s, target, "test");
        }

        assertThat(report.failures()).isEmpty();
        ScaleResult r = (ScaleResult) report.results().get(0);
        assertThat(r.recorders()).isEqualTo(20);
        assertThat(r.processors()).isEqualTo(20);
        assertThat(r.oneToOne()).isTrue();
        // 2.5 s of 20 ms chunks per recorder; a recorder whose phase puts its last due time past the end makes one fewer.
        assertThat(r.chunksScheduled()).isBetween(20L * 124, 20L * 125);
        assertThat(r.chunksSent()).isEqualTo(r.chunksScheduled());
        assertThat(r.deliveriesExpected()).isEqualTo(r.chunksSent());
        assertThat(r.deliveries()).isEqualTo(r.deliveriesExpected());
        assertThat(r.lost()).isZero();
        assertThat(r.gapChunks()).isZero();
        assertThat(r.silentSkips()).isZero();
        assertThat(r.duplicates()).isZero();
        // Timed: the chunks due in the 2 s measured, 100 per recorder, give or take the one at each edge.
        assertThat(r.latency().count()).isBetween(20L * 99, 20L * 101);
        assertThat(r.latency().ordered()).as("ordered: %s", r.latency()).isTrue();
        assertThat(r.latency().p50Ms()).isPositive();
        assertThat(r.sendLag().count()).isEqualTo(r.latency().count());
        assertThat(r.generatorCores()).isPositive();
        assertThat(r.mailman()).as("a forked mailman's usage").isNotNull();
        assertThat(r.mailman().cores()).isPositive();
        assertThat(r.mailman().rssMb()).isPositive();
        assertThat(r.mailmanGc().count()).as("the GC log was read").isNotNegative();
        assertThat(r.mailmanMicrosPerDelivery()).isPositive();
        assertThat(r.mailmanCpuWaitCores()).isNotNegative();
    }

    @Test
    void gcPausesAreReadFromAUnifiedGcLogAndConcurrentPhasesAreNotCounted() {
        GcPauses p = GcPauses.parse("""
                [0.009s][info][gc] Using G1
                [0.518s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 10M->3M(24M) 12.421ms
                [3.100s][info][gc] GC(5) Concurrent Mark Cycle 40.125ms
                [3.150s][info][gc] GC(5) Pause Remark 30M->30M(1024M) 1.579ms
                """);

        assertThat(p).isEqualTo(new GcPauses(2, 14.0, 12.421));
    }

    @Test
    void processorsOnEveryStreamEachGetEveryChunkFromAnEmbeddedMailman() throws Exception {
        BenchSettings s = settings(List.of(2), 5, false, Duration.ofSeconds(1));
        BenchReport report;
        try (MailmanTarget target = MailmanTarget.embedded(BenchRunner.mailmanConfig(s, CLIENT))) {
            report = BenchRunner.run(s, target, "test");
        }

        assertThat(report.failures()).isEmpty();
        ScaleResult r = (ScaleResult) report.results().get(0);
        assertThat(r.chunksSent()).isEqualTo(r.chunksScheduled()).isPositive();
        assertThat(r.deliveriesExpected()).isEqualTo(2 * r.chunksSent());
        assertThat(r.deliveries()).isEqualTo(r.deliveriesExpected());
        assertThat(r.lost()).isZero();
        assertThat(r.mailman()).as("no child process to measure").isNull();
        assertThat(r.mailmanGc()).isEqualTo(GcPauses.UNKNOWN);
    }

    @Test
    void processorsCutOffMidRunAreReportedAsLoss() throws Exception {
        BenchSettings s = settings(List.of(1), 10, true, Duration.ofMillis(1_500));
        ScaleResult r;
        List<String> failures;
        try (MailmanTarget target = MailmanTarget.embedded(BenchRunner.mailmanConfig(s, CLIENT));
             RunContext ctx = new RunContext(s, target)) {
            r = ScaleWorkload.runCase(ctx, 320, 10, 10, Duration.ofSeconds(1), Optional.of(Duration.ofMillis(500)));
            failures = ctx.failures();
        }

        // The chunks of the last second were sent and acknowledged by the mailman, but no processor was there to get them.
        assertThat(r.chunksSent()).isEqualTo(r.chunksScheduled());
        assertThat(r.deliveries()).isPositive().isLessThan(r.deliveriesExpected());
        assertThat(r.lost()).isEqualTo(r.deliveriesExpected() - r.deliveries()).isGreaterThanOrEqualTo(10L * 40);
        assertThat(failures).anySatisfy(f -> assertThat(f).contains("scale, R=10, P=10").contains(r.lost() + " chunks lost"));
    }
}
