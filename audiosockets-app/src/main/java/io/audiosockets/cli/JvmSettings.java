package io.audiosockets.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server says at start about the JVM it runs in: the garbage collector and heap, and the
 * settings we measured to serve live audio best (README "Running the server": G1 with a 10 ms pause
 * goal gave the lowest p99 and the least CPU of G1, ZGC and Parallel at 250 real-time streams). A
 * running JVM cannot change its collector, so the server only advises; the flags go on the
 * {@code java} command line.
 */
final class JvmSettings {
    /** The JVM options we recommend for {@code server}. */
    static final String RECOMMENDED = "-XX:+UseG1GC -XX:MaxGCPauseMillis=10 -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g";
    private static final Logger log = LoggerFactory.getLogger(JvmSettings.class);

    private JvmSettings() {
    }

    /** Logs the collector and heap in use and, when the pause goal is not set, the recommended options. */
    static void logAdvice() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
        boolean tuned = args.stream().anyMatch(a -> a.startsWith("-XX:MaxGCPauseMillis=") || a.equals("-XX:+UseZGC"));
        if (tuned) {
            log.info("JVM: {}; heap max {} MiB", collectors, heapMiB);
        } else {
            log.info("JVM: {}; heap max {} MiB. For live audio start the server with {} (README \"Running the server\": "
                    + "lower p99 latency and CPU than the defaults, measured)", collectors, heapMiB, RECOMMENDED);
        }
    }
}
