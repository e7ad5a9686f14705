package io.audiosockets.loadtest;

import java.util.List;

/**
 * Everything a benchmark run found: what ran where, the results, and what went wrong. Printed
 * as tables by {@link ReportPrinter}, written as JSON by {@link ReportJson}.
 *
 * @param workload the workload's command-line name
 * @param description what the workload does
 * @param startedUtc when the run started, ISO-8601 UTC
 * @param wallSeconds how long the whole run took
 * @param machine where it ran
 * @param mailman which mailman it drove
 * @param command the command line that started it
 * @param settings the settings, as given or defaulted
 * @param results one per case
 * @param failures losses and checks that did not hold: empty if all is well
 * @param notes remarks that are not failures
 */
public record BenchReport(String workload, String description, String startedUtc, double wallSeconds, Machine machine,
                          String mailman, String command, SettingsView settings, List<CaseResult> results, List<String> failures,
                          List<String> notes) {

    /** True if nothing was lost and every check held. */
    public boolean ok() {
        return failures.isEmpty();
    }

    /**
     * The settings as plain values for the report.
     *
     * @param durationSeconds measured seconds per case (per phase for slow and crash)
     * @param warmupSeconds warm-up seconds per case
     * @param chunkSamples chunk sizes
     * @param processors processor counts
     * @param recorders recorder counts
     * @param oneToOne each recorder with its own processor
     * @param slowFactor the slow processor's time per chunk, in chunk durations
     * @param retentionSeconds the mailman's retention, if this tool set it, else -1
     * @param clientThreads shared client event loop threads (0: automatic)
     * @param ackWindow the recorders' ACK_WINDOW
     * @param processorWindow the processors' window
     * @param watched the mailman served its HTTP side, with a dashboard open and {@code /metrics} scraped
     *     every second during each measured case ({@code --watch})
     */
    public record SettingsView(double durationSeconds, double warmupSeconds, List<Integer> chunkSamples, List<Integer> processors,
                               List<Integer> recorders, boolean oneToOne, double slowFactor, double retentionSeconds,
                               int clientThreads, int ackWindow, int processorWindow, boolean watched) {

        static SettingsView of(BenchSettings s, MailmanTarget target) {
            return new SettingsView(s.duration().toMillis() / 1000.0, s.warmup().toMillis() / 1000.0, s.chunkSamples(), s.processors(),
                    s.recorders(), s.oneToOne(), s.slowFactor(),
                    target.process().isPresent() || target.embedded().isPresent() ? target.mailmanConfig().retention().toMillis() / 1000.0 : -1,
                    s.clientThreads(), s.clientConfig().recorderWindow(), s.clientConfig().processorWindow(),
                    target.httpBase().isPresent());
        }
    }
}
