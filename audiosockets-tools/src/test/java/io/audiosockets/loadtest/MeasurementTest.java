package io.audiosockets.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The measuring parts on their own: histograms and phases, flow control, checksums, /proc and jcmd parsing, tables. */
class MeasurementTest {

    @Test
    void latenciesGoToThePhaseTheirScheduleFallsInAndWarmUpIsLeftOut() {
        Latencies l = new Latencies("before", "after");
        l.startPhase(0, 1_000_000);
        l.startPhase(1, 2_000_000);

        l.record(500_000, 600_000);          // warm-up: not recorded
        l.record(1_500_000, 2_500_000);       // due before, measured after the boundary: "before", 1 ms
        l.record(2_000_000, 2_002_000);       // "after", 2 us
        l.record(3_000_000, 2_999_000);       // negative: 0, counted

        List<Percentiles> p = l.percentiles();
        assertThat(p.get(0).count()).isEqualTo(1);
        assertThat(p.get(0).maxMs()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(0.002));
        assertThat(p.get(1).count()).isEqualTo(2);
        assertThat(l.negativeCount()).isEqualTo(1);
        assertThatThrownBy(() -> l.startPhase(0, 5_000_000)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void percentilesAreInMillisecondsAndOrdered() {
        Histogram h = new Histogram(1_000, 3_600_000_000_000L, 3);
        for (long us = 1; us <= 1_000; us++) {
            h.recordValue(us * 1_000);
        }
        Percentiles p = Percentiles.of(h);
        assertThat(p.count()).isEqualTo(1_000);
        assertThat(p.p50Ms()).isBetween(0.49, 0.51);
        assertThat(p.p99Ms()).isBetween(0.98, 1.0);
        assertThat(p.maxMs()).isBetween(0.999, 1.001);
        assertThat(p.ordered()).isTrue();
        assertThat(Percentiles.of(new Histogram(3))).isEqualTo(Percentiles.EMPTY);
    }

    @Test
    void theCreditGateWaitsForAcknowledgementsAndForTheSlowestProcessor() throws Exception {
        CreditGate gate = new CreditGate(2, 3);
        AtomicLong acked = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        gate.bind(acked::get, slowest::get);
        assertThat(gate.awaitTurn(0)).isTrue();
        assertThat(gate.awaitTurn(1)).isTrue();

        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> turn(gate, 2));
        assertThat(third).isNotDone(); // two unacknowledged: waits
        acked.set(3);
        gate.signal();
        assertThat(third.get(5, TimeUnit.SECONDS)).isTrue(); // the slowest processor has 0 of 3: still allowed (2 - 0 < 3)

        CompletableFuture<Boolean> fourth = CompletableFuture.supplyAsync(() -> turn(gate, 3));
        assertThat(fourth).isNotDone(); // 3 - 0 >= 3: the slowest processor holds it
        slowest.set(1);
        gate.signal();
        assertThat(fourth.get(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> turn(gate, 100));
        gate.close();
        assertThat(closed.get(5, TimeUnit.SECONDS)).isFalse();
    }

    private static boolean turn(Gate gate, long index) {
        try {
            return gate.awaitTurn(index);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void checksumsIgnoreOrderButNotContentOrSequence() {
        byte[] a = {1, 2, 3};
        byte[] b = {4, 5, 6};
        Checksums x = new Checksums();
        x.add(0, a, 0, 3);
        x.add(1, b, 0, 3);
        Checksums y = new Checksums();
        y.add(1, b, 0, 3);
        y.add(0, a, 0, 3);
        Checksums z = new Checksums();
        z.add(0, b, 0, 3);
        z.add(1, a, 0, 3);
        assertThat(x.sum()).isEqualTo(y.sum()).isNotEqualTo(z.sum());
        assertThat(x.count()).isEqualTo(2);
    }

    @Test
    void procStatusAndJcmdOutputAreParsed() {
        assertThat(Resources.parseStatus(List.of("Name:\tjava", "VmHWM:\t  204800 kB", "VmRSS:\t  123456 kB"), "VmRSS"))
                .contains(123_456L);
        assertThat(Resources.parseStatus(List.of("Name:\tjava"), "VmRSS")).isEmpty();
        assertThat(JcmdProbe.parseUsed("4242:\n garbage-first heap   total 397312K, used 17956K [0x0000000687400000, 0x0000000800000000)\n"))
                .hasValue(17_956L * 1024);
        assertThat(Resources.ofThisProcess().cpuNanos()).isPositive();
    }

    @Test
    void tablesAreAligned() {
        StringWriter s = new StringWriter();
        ReportPrinter.printTable(List.of(List.of("name", "n"), List.of("a", "1,000"), List.of("longer", "2")), new PrintWriter(s, true));
        assertThat(s.toString().lines().toList()).containsExactly("name        n", "a       1,000", "longer      2");
    }
}
