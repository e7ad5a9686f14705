package io.audiosockets.loadtest;

import io.audiosockets.recorder.ReplayBudget;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.client.IoThreads;
import io.audiosockets.processor.ProcessorThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every workload of one run shares: the settings, the mailman, the clients' configuration,
 * the clock, a run id that makes every stream and processor name unique (so a run against an
 * external mailman never resumes an earlier run's cursor), client event loops, and the list of
 * failures found.
 *
 * <p>Used by the thread running the benchmark; {@link #fail} is thread-safe.
 */
final class RunContext implements AutoCloseable {
    private final BenchSettings settings;
    private final MailmanTarget target;
    private final NetworkConfig client;
    private final BenchClock clock = BenchClock.start();
    private final HandOffs handOffs = new HandOffs(clock);
    private final String runId = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36), 36);
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private IoThreads shared;
    private ProcessorThreads sharedProcessorThreads;
    private final ReplayBudget replayBudget = ReplayBudget.ofBytes(8L << 20);

    RunContext(BenchSettings settings, MailmanTarget target) {
        this.settings = settings;
        this.target = target;
        this.client = target.clientConfig(settings.clientConfig());
    }

    BenchSettings settings() {
        return settings;
    }

    MailmanTarget target() {
        return target;
    }

    /** The clients' configuration, pointed at the mailman. */
    NetworkConfig client() {
        return client;
    }

    /** When each paced chunk of this run was due: what the Java processors measure their latency from. */
    HandOffs handOffs() {
        return handOffs;
    }

    BenchClock clock() {
        return clock;
    }

    /** A name unique to this run: "b" + run id + "-" + the parts joined by "-". */
    String name(Object... parts) {
        StringBuilder b = new StringBuilder("b").append(runId);
        for (Object p : parts) {
            b.append('-').append(p);
        }
        return b.toString();
    }

    /**
     * The event loop group for a case with {@code clients} clients: null (each client runs its
     * own loop, as separate programs would) up to {@link BenchSettings#OWN_LOOPS_UP_TO} clients
     * unless {@code --client-threads} is given, else one group shared by all, kept for the run.
     */
    synchronized IoThreads loopsFor(int clients) {
        if (settings.clientThreads() == 0 && clients <= BenchSettings.OWN_LOOPS_UP_TO) {
            return null;
        }
        return sharedLoops();
    }

    /**
     * The run's shared client event loop group, created on first use and shut down when the run
     * ends. Also for a client that may be closed while its processData runs: a client with a loop
     * of its own shuts it down in close(), and the processor's acknowledgement of that last chunk
     * then has no loop to run on (BaseProcessor throws RejectedExecutionException on its thread).
     */
    synchronized IoThreads sharedLoops() {
        if (shared == null) {
            int threads = settings.clientThreads() > 0 ? settings.clientThreads() : Runtime.getRuntime().availableProcessors();
            shared = IoThreads.create(threads, "bench-clients");
        }
        return shared;
    }

    /**
     * The threads for the processors' code in a case whose clients run on {@code loops}: null (a thread
     * per processor, as separate programs would have) when each client has its own loop, else threads
     * shared by all processors of the run, as many as the client event loops, so that a thousand
     * processors do not run a thousand threads.
     */
    synchronized ProcessorThreads processorThreadsFor(IoThreads loops) {
        if (loops == null) {
            return null;
        }
        if (sharedProcessorThreads == null) {
            sharedProcessorThreads = ProcessorThreads.create(loops.threads(), "bench-processors");
        }
        return sharedProcessorThreads;
    }

    /**
     * What the run's real recorders keep of acknowledged audio, all together: 8 MiB. They keep every
     * unacknowledged chunk (a benchmark must not drop), and acknowledged ones only for a mailman
     * restart, which no workload makes. Not more: every chunk held lives through young collections
     * and is copied by each, and with 64 MiB (two seconds of 500 streams) the G1 young pauses of a
     * 500-client case reached 0.7 to 1.9 s.
     */
    ReplayBudget replayBudget() {
        return replayBudget;
    }

    /** Records a failure (loss, a check that did not hold): the run then exits 1. */
    synchronized void fail(String message) {
        failures.add(message);
    }

    /** Adds a line to the report's notes. */
    synchronized void note(String message) {
        notes.add(message);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * A dashboard and a {@code /metrics} scraper on the mailman's HTTP side for one case
     * ({@code --watch}), or null when the mailman serves none. The caller closes it.
     */
    DashboardWatcher watch() throws IOException, InterruptedException {
        if (target.httpBase().isEmpty()) {
            return null;
        }
        return DashboardWatcher.open(target.httpBase().get(), target.httpToken());
    }

    /** Resources of this JVM and of a forked mailman, now. */
    Snapshot sample() {
        return new Snapshot(System.nanoTime(), Resources.ofThisProcess(), target.process().map(Resources::ofProcess).orElse(null));
    }

    /**
     * A moment of a run: when, and what this JVM and a forked mailman had used.
     *
     * @param nanos {@link System#nanoTime()}
     * @param bench this JVM
     * @param mailman the forked mailman, or null
     */
    record Snapshot(long nanos, Resources bench, Resources mailman) {
        /** This JVM's usage from {@code before} to this snapshot. */
        Usage benchSince(Snapshot before) {
            return Usage.between(before.bench, bench, Duration.ofNanos(nanos - before.nanos));
        }

        /** The forked mailman's usage from {@code before} to this snapshot, or null. */
        Usage mailmanSince(Snapshot before) {
            return mailman == null || before.mailman == null ? null
                    : Usage.between(before.mailman, mailman, Duration.ofNanos(nanos - before.nanos));
        }

        /** Seconds from {@code before} to this snapshot. */
        double secondsSince(Snapshot before) {
            return (nanos - before.nanos) / 1e9;
        }
    }

    @Override
    public synchronized void close() {
        if (sharedProcessorThreads != null) {
            sharedProcessorThreads.close();
            sharedProcessorThreads = null;
        }
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }
}
