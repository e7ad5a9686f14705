package io.audiosockets.cli;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.loadtest.BenchReport;
import io.audiosockets.loadtest.BenchRunner;
import io.audiosockets.loadtest.BenchSettings;
import io.audiosockets.loadtest.MailmanTarget;
import io.audiosockets.loadtest.ReportJson;
import io.audiosockets.loadtest.ReportPrinter;
import io.audiosockets.loadtest.Workload;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code audiosockets bench WORKLOAD}: the load tool. Starts a mailman (or uses one), runs
 * in-process recorders and processors against it over loopback TCP, and prints a table (and
 * optionally JSON). Exit 0 if every chunk reached every processor that should have it, 1 on any
 * loss or failed check, 2 on bad usage.
 */
@Command(name = "bench", description = {
    "Measure the mailman end to end: throughput, latency from the recorder's schedule (HdrHistogram), slow and crashed "
            + "processors, memory per idle connection, and a raw TCP relay for reference.",
    "",
    "Workloads:",
    "  fanout    one recorder as fast as the mailman accepts, to P processors;",
    "            then the raw relay, same case, same run",
    "  latency   R recorders at real time, P processors",
    "  scale     R raw-protocol recorders at real time, P processors, from two threads",
    "            (non-blocking sockets, no client objects): the mailman's latency, CPU, RSS",
    "            and GC at thousands of connections; use --fork to see the mailman's figures",
    "  slow      a normal processor, without and then with a 10x slower one",
    "  crash     two processors, one's connection reset mid-run (no goodbye)",
    "  baseline  the raw TCP relay alone: throughput, then latency at real time",
    "  idle      memory per idle connected processor (1,000 by default)",
    "",
    "Lists (1,4,16) give one case per value. Every run reports CPU, heap and RSS; exit 1 if anything was lost."},
        sortOptions = false)
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "fanout, latency, scale, slow, crash, baseline, idle or kafka.")
    String workload;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
            description = "Measured time per case (per phase for slow and crash). Default: ${DEFAULT-VALUE}.")
    double duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
            description = "Time before measuring, per case; its chunks are checked, not timed. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--chunk-samples", paramLabel = "N", split = ",",
            description = "Samples per chunk, 16 kHz mono float32 (320 = 20 ms, 8000 = 0.5 s). "
                    + "Default: 320,8000 for fanout and baseline, else 320.")
    List<Integer> chunkSamples;

    @Option(names = "--processors", paramLabel = "P", split = ",",
            description = "Processors per case. Default: 1,4,16 (fanout, baseline), 1,16 (latency), 1 (scale), 1000 (idle).")
    List<Integer> processors;

    @Option(names = "--recorders", paramLabel = "R", split = ",",
            description = "Recorders per case (latency, scale). Default: 1 (latency), 1000 (scale).")
    List<Integer> recorders;

    @Option(names = "--one-to-one", description = "latency, scale: each recorder has a processor of its own, subscribed to its "
            + "stream only (P = R), instead of every processor receiving every stream.")
    boolean oneToOne;

    @Option(names = "--slow-factor", paramLabel = "X", defaultValue = "10",
            description = "slow: the slow processor spends X chunk durations per chunk. Default: ${DEFAULT-VALUE}.")
    double slowFactor;

    @Option(names = "--retention", paramLabel = "SECONDS",
            description = "RETENTION_SECONDS of a mailman this command starts. Default: 600 for fanout (flow control, "
                    + "not eviction, holds the recorder), 2 for slow (so the slow processor's gaps show), else 30.")
    Double retention;

    @Option(names = "--connect", paramLabel = "HOST:PORT",
            description = "Drive a mailman already running there (e.g. `audiosockets server` in another JVM) "
                    + "instead of starting one in this JVM. Give its config file with -c so the tool knows its retention.")
    String connect;

    @Option(names = "--fork", description = "Start the mailman in a child JVM (options from --fork-jvm), so it shares no "
            + "heap, GC or JIT with the clients; its CPU and RSS are reported too.")
    boolean fork;

    @Option(names = "--fork-jvm", paramLabel = "OPTIONS", defaultValue = "-Xms512m -Xmx1g -XX:+UseG1GC",
            description = "JVM options of the forked mailman. Default: ${DEFAULT-VALUE}.")
    String forkJvm;

    @Option(names = "--watch", description = "fanout, latency: the mailman this command starts (embedded or --fork) also serves "
            + "its HTTP side, and during each case a dashboard is open on its WebSocket (every message read) and /metrics is "
            + "scraped every second; what they received is reported. To measure what watching costs: the same run without.")
    boolean watch;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "kafka: the Kafka cluster (HOST:PORT[,HOST:PORT...]) to measure through; each case creates a topic of its own.")
    String kafka;

    @Option(names = "--client-threads", paramLabel = "N", defaultValue = "0",
            description = "Event loop threads shared by all clients; 0: one per client up to 64 clients, then one per core. "
                    + "With shared loops, latency's processors also run their code on as many shared threads. "
                    + "Default: ${DEFAULT-VALUE}.")
    int clientThreads;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Network config (server_info.json) for the clients and an embedded or forked mailman: "
                    + "ACK_WINDOW, PROCESSOR_WINDOW, RETENTION_*... Host and port are the tool's.")
    Path configFile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the full report as JSON to FILE.")
    Path json;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warning",
            description = "Log level of the clients and an embedded mailman (logs go to stderr). Default: ${DEFAULT-VALUE}.")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        Workload w = parseWorkload();
        if (connect != null && fork) {
            throw new IllegalArgumentException("--connect and --fork: choose one (a mailman elsewhere, or one in a child JVM)");
        }
        if (watch && (connect != null || (w != Workload.FANOUT && w != Workload.LATENCY))) {
            throw new IllegalArgumentException("--watch applies to the fanout and latency workloads with a mailman this command "
                    + "starts (embedded or --fork), not to " + (connect != null ? "--connect" : w.cliName()));
        }
        if (kafka != null && w != Workload.KAFKA) {
            throw new IllegalArgumentException("--kafka applies to the kafka workload only");
        }
        NetworkConfig config = loadConfig();
        BenchSettings settings = new BenchSettings(w, Seconds.of("--duration", duration), warmupDuration(),
                orDefault(chunkSamples, w == Workload.FANOUT || w == Workload.BASELINE ? List.of(320, 8000) : List.of(320)),
                processorCounts(w), orDefault(recorders, List.of(w == Workload.SCALE ? 1000 : w == Workload.KAFKA ? 10 : 1)), oneToOne, slowFactor,
                Optional.ofNullable(retention).map(r -> Seconds.of("--retention", r)), clientThreads, config,
                Optional.ofNullable(kafka));
        PrintWriter out = spec.commandLine().getOut();
        NetworkConfig mailmanConfig = BenchRunner.mailmanConfig(settings, config);
        BenchReport report;
        try (MailmanTarget target = target(w, mailmanConfig, config)) {
            report = BenchRunner.run(settings, target, "audiosockets " + String.join(" ", spec.commandLine().getParseResult()
                    .originalArgs()));
        }
        ReportPrinter.print(report, out);
        if (json != null) {
            ReportJson.write(report, json);
            out.println("report written to " + json);
        }
        return report.ok() ? 0 : 1;
    }

    private Workload parseWorkload() {
        for (Workload w : Workload.values()) {
            if (w.cliName().equals(workload)) {
                return w;
            }
        }
        throw new IllegalArgumentException("WORKLOAD '" + workload + "': expected fanout, latency, scale, slow, crash, baseline, idle "
                + "or kafka");
    }

    private Duration warmupDuration() {
        if (warmup < 0 || Double.isNaN(warmup) || Double.isInfinite(warmup)) {
            throw new IllegalArgumentException("--warmup " + warmup + ": expected 0 or more seconds");
        }
        return Duration.ofNanos(Math.round(warmup * 1e9));
    }

    private List<Integer> processorCounts(Workload w) {
        if (oneToOne && processors != null) {
            throw new IllegalArgumentException("--one-to-one gives each recorder its own processor: leave out --processors");
        }
        if (oneToOne && w != Workload.LATENCY && w != Workload.SCALE) {
            throw new IllegalArgumentException("--one-to-one applies to the latency and scale workloads only");
        }
        return orDefault(processors, switch (w) {
            case FANOUT, BASELINE -> List.of(1, 4, 16);
            case KAFKA -> List.of(1, 4);
            case LATENCY -> List.of(1, 16);
            case SCALE -> List.of(1);
            case IDLE -> List.of(1000);
            case SLOW, CRASH -> List.of(1);
        });
    }

    private static List<Integer> orDefault(List<Integer> given, List<Integer> fallback) {
        return given == null || given.isEmpty() ? fallback : given;
    }

    private NetworkConfig loadConfig() {
        return NetworkOptions.finish(NetworkOptions.base(configFile), logLevel);
    }

    private MailmanTarget target(Workload w, NetworkConfig mailmanConfig, NetworkConfig clientConfig) throws Exception {
        if (w == Workload.BASELINE) {
            return MailmanTarget.none();
        }
        if (connect != null) {
            int colon = connect.lastIndexOf(':');
            int port;
            try {
                port = Integer.parseInt(connect.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                port = -1;
            }
            if (colon <= 0 || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--connect " + connect + ": expected HOST:PORT, e.g. 127.0.0.1:5050");
            }
            return MailmanTarget.external(connect.substring(0, colon), port, clientConfig);
        }
        if (fork) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String option : forkJvm.trim().split("\\s+")) {
                if (!option.isEmpty()) {
                    command.add(option);
                }
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            return MailmanTarget.forked(mailmanConfig, command, watch);
        }
        return MailmanTarget.embedded(mailmanConfig, watch);
    }
}
