package io.audiosockets.fuzz;

import io.audiosockets.mailman.MailmanStats;
import io.audiosockets.protocol.ErrorCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of one campaign and its verdict.
 *
 * @param settings what was asked
 * @param started when the fuzzing began (UTC)
 * @param duration how long the fuzzing took
 * @param sent what the fuzzing clients sent and received
 * @param mailman the mailman's own counters at the end
 * @param delivery what the real processor received
 * @param heapBefore heap in use after GC before the campaign (the whole JVM)
 * @param heapMid heap in use after GC after the first tenth of the frames, fuzz connections closed (the whole JVM)
 * @param heapAfter heap in use after GC after the campaign, fuzz connections closed (the whole JVM)
 * @param directBefore Netty's pooled direct memory in use before
 * @param directAfter Netty's pooled direct memory in use after
 * @param stillServing a new client registered with the mailman after the campaign
 * @param recorderDropped chunks the real recorder had to drop (never sent)
 * @param processors the machine's processor count
 * @param loadAverage the system load average over the last minute at the end, or negative if unknown
 */
public record FuzzReport(FuzzSettings settings, Instant started, Duration duration, FuzzStats.Snapshot sent,
                         MailmanStats.Snapshot mailman, CheckingProcessor.Delivery delivery, long heapBefore, long heapMid, long heapAfter,
                         long directBefore, long directAfter, boolean stillServing, long recorderDropped, int processors,
                         double loadAverage) {

    /** Every check held: nothing missed, the mailman up and its heap back, every answer parseable, every connect accepted. */
    public boolean passed() {
        return problems().isEmpty();
    }

    /** What failed, one line each; empty if the campaign passed. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!delivery.complete()) {
            out.add("the processor did not receive every chunk exactly once: " + delivery);
        }
        if (recorderDropped > 0) {
            out.add("the recorder dropped " + recorderDropped + " chunks");
        }
        if (!stillServing) {
            out.add("the mailman did not register a new client after the campaign");
        }
        if (heapAfter - heapBefore > settings.heapTolerance()) {
            out.add("heap grew by " + mib(heapAfter - heapBefore) + " (tolerance " + mib(settings.heapTolerance()) + ")");
        }
        if (heapAfter - heapMid > settings.heapTolerance() / 4) {
            out.add("heap went on growing after the first tenth of the frames: " + mib(heapAfter - heapMid) + " (tolerance "
                    + mib(settings.heapTolerance() / 4) + ")");
        }
        if (sent.unparseableAnswers() > 0) {
            out.add(sent.unparseableAnswers() + " answers from the mailman did not decode");
        }
        if (sent.connectFailures() > 0) {
            out.add(sent.connectFailures() + " connections to the mailman failed");
        }
        return out;
    }

    /** Fuzz frames per second. */
    public double framesPerSecond() {
        return sent.fuzzFrames() / Math.max(1e-9, duration.toNanos() / 1e9);
    }

    /** The report for people: one figure a line. */
    public void print(PrintWriter out) {
        out.printf("fuzz campaign: %s, %d processors, load average %.2f, seed %d%n", started, processors, loadAverage, settings.seed());
        out.printf("  duration              %.1f s%n", duration.toMillis() / 1000.0);
        out.printf("  fuzz frames sent      %,d (%,.0f/s), mutated or random%n", sent.fuzzFrames(), framesPerSecond());
        out.printf("  valid frames sent     %,d (HELLOs, AUDIO and ACKs around them, a PING closing each batch)%n", sent.validFrames());
        out.printf("  bytes sent            %,d%n", sent.bytesSent());
        out.printf("  connections           %,d opened, %,d closed by the mailman, %,d by the fuzzer (%,d of them after %d ms of silence)%n",
                sent.connections(), sent.closedByMailman(), sent.closedByUs(), sent.readTimeouts(), settings.readTimeout().toMillis());
        out.printf("  batches read whole    %,d (answered PONG)%n", sent.batchesAccepted());
        out.printf("  ERROR frames received %,d: %s%n", sent.errorTotal(), errors(sent.errors()));
        out.printf("  other answers         %,d WELCOME, %,d other frames, %,d unparseable%n", sent.welcomes(), sent.otherAnswers(),
                sent.unparseableAnswers());
        out.printf("  mailman counters      %,d connections, %,d protocol errors, %,d handshakes refused, %,d streams forgotten%n",
                mailman.connections(), mailman.protocolErrors(), mailman.refused(), mailman.streamsForgotten());
        out.printf("  real processor        %,d of %,d chunks, %,d unexpected, %,d gaps%s%n", delivery.distinct(), delivery.expected(),
                delivery.unexpected(), delivery.gaps(), delivery.firstMissing() >= 0 ? ", first missing " + delivery.firstMissing() : "");
        out.printf("  heap after GC         %s before, %s after a tenth, %s after (%+.1f MiB; the whole JVM: mailman, fuzzer, clients)%n",
                mib(heapBefore), mib(heapMid), mib(heapAfter), (heapAfter - heapBefore) / 1048576.0);
        out.printf("  pooled direct memory  %s before, %s after%n", mib(directBefore), mib(directAfter));
        out.printf("  mailman still serving %s%n", stillServing ? "yes" : "NO");
        List<String> problems = problems();
        out.println(problems.isEmpty() ? "PASSED" : "FAILED: " + String.join("; ", problems));
        out.flush();
    }

    private static String errors(Map<ErrorCode, Long> errors) {
        List<String> parts = new ArrayList<>();
        errors.forEach((code, n) -> parts.add(code + " " + String.format("%,d", n)));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
