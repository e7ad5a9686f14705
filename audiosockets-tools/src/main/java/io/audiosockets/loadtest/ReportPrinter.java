package io.audiosockets.loadtest;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link BenchReport} for people: a header line, one aligned table per kind of result,
 * the resources, then the failures (or "no loss") and notes.
 */
public final class ReportPrinter {
    private ReportPrinter() {
    }

    /** Prints {@code report} to {@code out}. */
    public static void print(BenchReport report, PrintWriter out) {
        Machine m = report.machine();
        out.printf("audiosockets bench %s: %s%n", report.workload(), report.description());
        out.printf("%s; %s; %d cores (%s), %s; heap max %d MB; load %.2f -> %.2f; %.1f s%n", report.startedUtc(), report.mailman(),
                m.cores(), m.cpuModel(), m.jvm(), m.maxHeapMb(), m.loadBefore(), m.loadAfter(), report.wallSeconds());
        Map<String, List<CaseResult>> tables = new LinkedHashMap<>();
        for (CaseResult r : report.results()) {
            tables.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(r);
        }
        tables.forEach((title, results) -> {
            out.println();
            out.println(title);
            List<List<String>> rows = new ArrayList<>();
            rows.add(results.get(0).header());
            results.forEach(r -> rows.addAll(r.rows()));
            printTable(rows, out);
        });
        out.println();
        details(report, out);
        if (report.failures().isEmpty()) {
            out.println("checks: every chunk reached every processor that should have it; no loss");
        } else {
            report.failures().forEach(f -> out.println("FAILED: " + f));
        }
        report.notes().forEach(n -> out.println("note: " + n));
        out.flush();
    }

    /** Per-workload lines that do not fit a table. */
    private static void details(BenchReport report, PrintWriter out) {
        for (CaseResult r : report.results()) {
            if (r instanceof SlowResult s) {
                out.printf("slow processor: processed %,d chunks, %,d gap notice(s) covering %,d chunks, %,d behind at the end; "
                                + "normal processor lost %d, recorder lost %d%n", s.slowProcessed(), s.slowGapNotices(), s.slowGapChunks(),
                        s.slowBehind(), s.normalLost(), s.recorderDropped());
                usage(s.bench(), s.mailman(), out);
            } else if (r instanceof CrashResult c) {
                out.printf("cut: the victim had processed %,d chunks; the mailman dropped it %s; the survivor lost %d chunks and "
                                + "%d connection(s); the recorder lost %d chunks and %d connection(s)%n", c.victimProcessedBeforeCut(),
                        c.mailmanNoticedMs() < 0 ? "(not observable: mailman not in this JVM)" : Fmt.ms(c.mailmanNoticedMs()) + " ms after the cut",
                        c.survivorLost(), c.survivorDisconnects(), c.recorderLost(), c.recorderDisconnects());
                usage(c.bench(), c.mailman(), out);
            } else if (r instanceof IdleResult i) {
                out.printf("%,d idle processors connected in %.2f s%n", i.connections(), i.connectSeconds());
            } else if (r instanceof FanoutResult f) {
                out.printf("fan-out %d samples, P=%d: %,d chunks sent over %.1f s measured; this JVM %s%n", f.chunkSamples(),
                        f.processors(), f.chunksSent(), f.seconds(), usageText(f.bench()));
                watched("fan-out " + f.chunkSamples() + " samples, P=" + f.processors(), f.watch(), out);
                kafka("fan-out " + f.chunkSamples() + " samples, P=" + f.processors(), f.kafka(), out);
            } else if (r instanceof LatencyResult l) {
                out.printf("latency R=%d, P=%d: %,d chunks captured; hand-off lateness (capture thread wake-up) p50 %s p99 %s ms; "
                                + "this JVM %s%s%n", l.recorders(), l.processors(), l.chunksCaptured(), Fmt.ms(l.handoff().p50Ms()),
                        Fmt.ms(l.handoff().p99Ms()), usageText(l.bench()), l.mailman() == null ? "" : "; mailman JVM " + usageText(l.mailman()));
                watched("latency R=" + l.recorders() + ", P=" + l.processors(), l.watch(), out);
                kafka("latency R=" + l.recorders() + ", P=" + l.processors(), l.kafka(), out);
            } else if (r instanceof ScaleResult sc) {
                out.printf("scale R=%d, P=%d: connected in %.2f s; %,d chunks scheduled, %,d sent, %,d late, %,d window stalls; "
                                + "generator write lag p50 %s p99 %s ms; generator threads %s cores, this JVM %s, waited for a CPU %s cores%n", sc.recorders(),
                        sc.processors(), sc.connectSeconds(), sc.chunksScheduled(), sc.chunksSent(), sc.lateChunks(), sc.windowStalls(),
                        Fmt.ms(sc.sendLag().p50Ms()), Fmt.ms(sc.sendLag().p99Ms()), Fmt.num(sc.generatorCores(), 2), usageText(sc.bench()),
                        Fmt.num(sc.benchCpuWaitCores(), 2));
                if (sc.mailman() != null) {
                    out.printf("scale R=%d, P=%d: mailman JVM %s, waited for a CPU %s cores; GC %s; %s us of mailman CPU per "
                                    + "delivery%n", sc.recorders(), sc.processors(), usageText(sc.mailman()),
                            Fmt.num(sc.mailmanCpuWaitCores(), 2), sc.mailmanGc().count() < 0 ? "unknown"
                                    : sc.mailmanGc().count() + " pauses, " + Fmt.num(sc.mailmanGc().totalMs(), 1) + " ms in all, longest "
                                    + Fmt.num(sc.mailmanGc().maxMs(), 1) + " ms", Fmt.num(sc.mailmanMicrosPerDelivery(), 1));
                }
            } else if (r instanceof RelayResult rr) {
                out.printf("relay %s %d samples, %d receivers: %,d frames sent; this JVM %s%n", rr.mode(), rr.chunkSamples(),
                        rr.receivers(), rr.framesSent(), usageText(rr.bench()));
            }
        }
    }

    private static void kafka(String which, KafkaFigures k, PrintWriter out) {
        if (k != null) {
            out.printf("%s via Kafka: topic %s (%d partitions); the bridge had %,d records acknowledged by Kafka (%d sent again); "
                            + "%d consumer group(s) processed %,d of %,d, lost %,d%n", which, k.topic(), k.partitions(), k.recordsWritten(),
                    k.bridgeRetries(), k.consumers(), k.delivered(), k.expected(), k.lost());
        }
    }

    private static void watched(String which, WatchResult w, PrintWriter out) {
        if (w != null) {
            out.println(which + " watched: " + w.describe());
        }
    }

    private static void usage(Usage bench, Usage mailman, PrintWriter out) {
        out.println("resources: this JVM " + usageText(bench) + (mailman == null ? "" : "; mailman JVM " + usageText(mailman)));
    }

    static String usageText(Usage u) {
        return "CPU " + Fmt.num(u.cores(), 2) + " cores, heap " + Fmt.num(u.heapUsedMb(), 0) + " MB, RSS " + Fmt.num(u.rssMb(), 0)
                + " MB (peak " + Fmt.num(u.peakRssMb(), 0) + " MB)";
    }

    /** Prints rows as columns: the first column left-aligned, the others right-aligned. */
    static void printTable(List<List<String>> rows, PrintWriter out) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? cell + pad : "  " + pad + cell);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
