package io.audiosockets.mailman;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A stream's rate over the last 2 s, from 100 ms buckets: what arrives counts, what is older than the window does not. */
class ArrivalRateTest {
    private static final long MS = 1_000_000L;

    @Test
    void countsTheLastTwoSecondsOnly() {
        ArrivalRate r = new ArrivalRate();
        long t0 = 5_000 * MS;
        assertThat(r.perSecond(t0)).isZero();
        for (int i = 0; i < 100; i++) { // 50 chunks a second for 2 s
            r.arrived(t0 + i * 20 * MS);
        }
        long end = t0 + 1_990 * MS;
        assertThat(r.perSecond(end)).isEqualTo(50.0);
        assertThat(r.perSecond(end + 1_000 * MS)).as("one second later, half of them are out of the window").isEqualTo(25.0);
        assertThat(r.perSecond(end + 2_000 * MS)).as("two seconds later, none").isZero();
    }

    @Test
    void aBucketReusedAfterTheWindowStartsFromZero() {
        ArrivalRate r = new ArrivalRate();
        r.arrived(0);
        r.arrived(1);
        r.arrived(2_000 * MS); // the same bucket, 20 periods later
        assertThat(r.perSecond(2_000 * MS)).isEqualTo(0.5);
    }
}
