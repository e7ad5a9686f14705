package io.audiosockets.loadtest;

import io.audiosockets.config.NetworkConfig;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Runs one workload against a mailman and returns its report. The entry point of the load tool:
 *
 * <pre>{@code
 * BenchSettings settings = ...;
 * try (MailmanTarget target = MailmanTarget.embedded(BenchRunner.mailmanConfig(settings, NetworkConfig.defaults()))) {
 *     BenchReport report = BenchRunner.run(settings, target, "audiosockets bench fanout");
 *     ReportPrinter.print(report, out);
 * }
 * }</pre>
 *
 * <p>A loss or a failed check does not throw: it is listed in {@link BenchReport#failures()}.
 */
public final class BenchRunner {
    private BenchRunner() {
    }

    /**
     * The configuration of a mailman this tool starts for {@code settings}' workload: {@code base}
     * with the retention the workload needs (long for fan-out, so that flow control rather than
     * eviction holds the recorder back; short for slow, so that the slow processor's gaps show).
     */
    public static NetworkConfig mailmanConfig(BenchSettings settings, NetworkConfig base) {
        return switch (settings.workload()) {
            case FANOUT, KAFKA -> FanoutWorkload.mailmanConfig(base, settings);
            case SLOW -> SlowWorkload.mailmanConfig(base, settings);
            default -> settings.retention().map(r -> base.toBuilder().retention(r).build()).orElse(base);
        };
    }

    /**
     * Runs the workload of {@code settings} against {@code target}.
     *
     * @param command the command line, for the report
     * @throws IOException if a socket of the baseline, the crash proxy or the scale workload cannot be opened
     * @throws TimeoutException if clients cannot connect or the mailman stops answering
     * @throws InterruptedException if interrupted
     */
    public static BenchReport run(BenchSettings settings, MailmanTarget target, String command)
            throws IOException, InterruptedException, TimeoutException {
        Instant started = Instant.now();
        Machine machine = Machine.now();
        long t0 = System.nanoTime();
        try (RunContext ctx = new RunContext(settings, target)) {
            List<CaseResult> results = switch (settings.workload()) {
                case FANOUT -> FanoutWorkload.run(ctx);
                case LATENCY -> LatencyWorkload.run(ctx);
                case SCALE -> ScaleWorkload.run(ctx);
                case SLOW -> SlowWorkload.run(ctx);
                case CRASH -> CrashWorkload.run(ctx);
                case BASELINE -> BaselineWorkload.run(ctx);
                case IDLE -> IdleWorkload.run(ctx);
                case KAFKA -> KafkaWorkload.run(ctx);
            };
            return new BenchReport(settings.workload().cliName(), settings.workload().description(),
                    started.truncatedTo(ChronoUnit.SECONDS).toString(), RelayRun.round3((System.nanoTime() - t0) / 1e9),
                    machine.finished(), target.describe(), command, BenchReport.SettingsView.of(settings, target), results,
                    ctx.failures(), ctx.notes());
        }
    }
}
