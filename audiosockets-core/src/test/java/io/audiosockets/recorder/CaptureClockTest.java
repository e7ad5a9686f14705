package io.audiosockets.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The timestamp rule: pure sample counts, and for a live source a drift correction of bounded rate. */
class CaptureClockTest {
    private static final int RATE = 16_000;
    private static final int CHUNK = 320; // 20 ms
    private static final long CHUNK_NANOS = 20_000_000L;
    private static final long ANCHOR = 1_700_000_000_000_000_000L;

    @Test
    void aSourceWithoutAClockOfItsOwnIsPureSampleCounting() {
        CaptureClock clock = new CaptureClock(RATE, ANCHOR, false);
        for (long frame = 0; frame < RATE * 600L; frame += CHUNK) {
            assertThat(clock.timeOf(frame)).isEqualTo(ANCHOR + frame * 62_500L);
            clock.observe(frame + CHUNK, CHUNK, ANCHOR - 1_000_000_000L); // a wall clock far off changes nothing
        }
        assertThat(clock.correctionNanos()).isZero();
    }

    @Test
    void noCorrectionWhileTheDeviceKeepsTimeWithinTheTolerance() {
        CaptureClock clock = new CaptureClock(RATE, ANCHOR, true);
        Random jitter = new Random(1);
        for (long frame = 0; frame < RATE * 120L; frame += CHUNK) {
            long end = frame + CHUNK;
            clock.observe(end, CHUNK, ANCHOR + end * 62_500L + 1_000_000L + jitter.nextInt(4_000_000));
        }
        assertThat(clock.correctionNanos()).isZero();
    }

    /** A device whose crystal runs {@code ppm} fast (positive) or slow against ours, read with up to 4 ms of scheduling jitter. */
    @ParameterizedTest(name = "{0} ppm")
    @ValueSource(ints = {200, -200, 400})
    void aDriftingDeviceIsFollowedAtABoundedRate(int ppm) {
        CaptureClock clock = new CaptureClock(RATE, ANCHOR, true);
        Random jitter = new Random(7);
        double wallNanosPerFrame = 62_500.0 / (1 + ppm * 1e-6);
        long previous = clock.timeOf(0);
        long lateness = 0;
        for (long frame = CHUNK; frame <= RATE * 600L; frame += CHUNK) {
            long wallAtEnd = ANCHOR + Math.round(frame * wallNanosPerFrame);
            long chunkTime = clock.timeOf(frame - CHUNK);
            if (frame > CHUNK) {
                // Consecutive chunks differ by their duration within 0.05 %.
                assertThat(Math.abs(chunkTime - previous - CHUNK_NANOS)).isLessThanOrEqualTo((long) (CHUNK_NANOS * CaptureClock.MAX_SLEW) + 1);
            }
            previous = chunkTime;
            clock.observe(frame, CHUNK, wallAtEnd + jitter.nextInt(4_000_000));
            lateness = wallAtEnd - clock.timeOf(frame);
        }
        // Uncorrected, 10 minutes at 200 ppm is 120 ms off; corrected, the sample time is never ahead of the
        // wall clock by more than one window's slew, nor behind it by more than the tolerance and a window's drift.
        assertThat(lateness).as("wall clock minus sample time after 10 min").isBetween(-3_000_000L, CaptureClock.TOLERANCE_NANOS + 3_000_000L);
        assertThat(Math.abs(clock.correctionNanos())).isGreaterThan(50_000_000L);
    }
}
