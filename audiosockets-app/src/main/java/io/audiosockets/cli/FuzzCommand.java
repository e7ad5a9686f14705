package io.audiosockets.cli;

import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.fuzz.FuzzCampaign;
import io.audiosockets.fuzz.FuzzReport;
import io.audiosockets.fuzz.FuzzSettings;
import io.audiosockets.internal.logging.LoggingSetup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audiosockets fuzz}: the fuzz campaign of the Security section, in one process: a mailman
 * on a free loopback port, a recorder streaming to a processor, and many connections sending
 * mutated frames and random bytes. Prints the figures and exits 0 if the processor missed
 * nothing, the mailman kept serving and its heap came back, 1 otherwise.
 */
@Command(name = "fuzz", description = "Fuzz a live mailman on loopback with mutated and random frames while a recorder streams "
        + "to a processor; check nothing was lost, the mailman is still up and its heap came back.")
final class FuzzCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "1000000",
            description = "Mutated and random frames to send. Default: ${DEFAULT-VALUE}.")
    long frames;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "64", description = "Connections at once. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (printed; the same seed sends the same frames). Default: random.")
    Long seed;

    @Option(names = "--max-frame-bytes", paramLabel = "BYTES", defaultValue = "65536",
            description = "The mailman's MAX_FRAME_BYTES during the campaign. Default: ${DEFAULT-VALUE}.")
    int maxFrameBytes;

    @Option(names = "--heap-tolerance-mib", paramLabel = "MIB", defaultValue = "32",
            description = "Heap growth after GC accepted, in MiB. Default: ${DEFAULT-VALUE}.")
    long heapToleranceMib;

    @Option(names = "--max-minutes", paramLabel = "MIN", defaultValue = "30",
            description = "Stop sending after this long, whatever was sent. Default: ${DEFAULT-VALUE}.")
    long maxMinutes;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "error",
            description = "Log level of the mailman and clients (each refused connection is logged at info). Default: ${DEFAULT-VALUE}.")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        // The defaults, not the environment: a token set for real clients would refuse every fuzz HELLO.
        NetworkConfig base = NetworkConfig.defaults().toBuilder().loggingLevel(LogLevel.parse(logLevel)).build();
        LoggingSetup.apply(base);
        FuzzSettings d = FuzzSettings.of(frames, seed != null ? seed : ThreadLocalRandom.current().nextLong());
        FuzzSettings settings = new FuzzSettings(frames, workers, d.seed(), maxFrameBytes, d.readTimeout(), d.maxBatches(), d.warmup(),
                heapToleranceMib << 20, Duration.ofMinutes(maxMinutes));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf("fuzz: %,d frames over %d connections at once, seed %d%n", frames, workers, settings.seed());
        err.flush();
        FuzzReport report = new FuzzCampaign(settings, base, err).run();
        report.print(out);
        return report.passed() ? 0 : 1;
    }
}
