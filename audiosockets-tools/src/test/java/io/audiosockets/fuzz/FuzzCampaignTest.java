package io.audiosockets.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.protocol.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The fuzz campaign at a small size: the same code as {@code audiosockets fuzz}, with 5 000
 * mutated frames instead of a million, so it runs in seconds in the suite. The full size is run
 * from the command and its figures are in BENCHMARKS.md.
 */
class FuzzCampaignTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.audiosockets");
    private Level level;

    @BeforeEach
    void quiet() {
        // The mailman logs every refused connection; thousands of lines would only slow the suite.
        level = logger.getLevel();
        logger.setLevel(Level.ERROR);
    }

    @AfterEach
    void restore() {
        logger.setLevel(level);
    }

    @Test
    @Timeout(120)
    void aSmallCampaignLosesNothingAndLeavesTheMailmanServingWithItsHeapBack() throws Exception {
        FuzzSettings d = FuzzSettings.of(5_000, 7);
        // 64 MiB of heap tolerance, not the command's 32: the suite runs Netty's paranoid leak detector, which keeps a
        // record per live buffer, and the buffers the fuzz streams' retention keeps are live. A leak shows in the
        // second check, growth after the first tenth of the frames, whose tolerance is a quarter of this.
        FuzzSettings settings = new FuzzSettings(d.frames(), 16, d.seed(), d.maxFrameBytes(), d.readTimeout(), d.maxBatches(),
                Duration.ofSeconds(1), 64L << 20, Duration.ofSeconds(60));
        FuzzReport report = new FuzzCampaign(settings, NetworkConfig.defaults(), null).run();
        StringWriter text = new StringWriter();
        report.print(new PrintWriter(text));
        System.out.print(text);

        assertThat(report.problems()).as("the campaign's checks:%n%s", text).isEmpty();
        assertThat(report.sent().fuzzFrames()).isGreaterThanOrEqualTo(5_000);
        assertThat(report.sent().connections()).as("connections opened").isGreaterThan(100);
        assertThat(report.sent().closedByMailman()).as("connections the mailman closed").isGreaterThan(100);
        assertThat(report.sent().errors()).as("ERROR codes the mailman sent")
                .containsKeys(ErrorCode.MALFORMED_FRAME, ErrorCode.FRAME_TOO_LARGE, ErrorCode.UNSUPPORTED_VERSION);
        assertThat(report.delivery().expected()).as("chunks the real recorder captured").isGreaterThan(10);
    }
}
