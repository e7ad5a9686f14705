package io.audiosockets.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a run happened, for the report: cores, CPU model, JVM, OS, heap limit, and the system
 * load average (1 min) when the run started and ended, since other work on the machine moves
 * every figure.
 *
 * @param cores available processors
 * @param cpuModel "model name" of /proc/cpuinfo, or "unknown"
 * @param jvm the JVM's name and version
 * @param os the OS's name, version and architecture
 * @param maxHeapMb the heap limit (-Xmx), MB
 * @param loadBefore the 1-minute load average at the start, -1 if unknown
 * @param loadAfter the same at the end
 */
public record Machine(int cores, String cpuModel, String jvm, String os, long maxHeapMb, double loadBefore, double loadAfter) {

    /** This machine now; {@code loadAfter} is filled in by {@link #finished()}. */
    static Machine now() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() / 1_000_000, load(), -1);
    }

    /** This description with the load average at the end. */
    Machine finished() {
        return new Machine(cores, cpuModel, jvm, os, maxHeapMb, loadBefore, load());
    }

    private static double load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? -1 : Math.round(l * 100) / 100.0;
    }

    private static String readCpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: say so below
        }
        return "unknown";
    }
}
