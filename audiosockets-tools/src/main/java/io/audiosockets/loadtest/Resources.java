package io.audiosockets.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What a process used: CPU time, heap and resident memory, read at one moment. Reported with
 * every run, for the bench JVM and, when the mailman runs in a child JVM, for that one too.
 *
 * @param cpuNanos CPU time of the whole process so far (every thread, user and system)
 * @param heapUsedBytes Java heap in use (live and not yet collected objects), or -1 if unknown
 * @param rssBytes resident set size ({@code VmRSS} in {@code /proc/PID/status}), or -1 if unknown
 * @param peakRssBytes the largest resident set so far ({@code VmHWM}), or -1 if unknown
 */
public record Resources(long cpuNanos, long heapUsedBytes, long rssBytes, long peakRssBytes) {

    /** This JVM now. */
    public static Resources ofThisProcess() {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long pid = ProcessHandle.current().pid();
        return new Resources(cpu, heap, statusKilobytes(pid, "VmRSS") * 1024, statusKilobytes(pid, "VmHWM") * 1024);
    }

    /** Another process now (heap unknown: -1). */
    public static Resources ofProcess(ProcessHandle process) {
        long cpu = process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        long pid = process.pid();
        return new Resources(cpu, -1, statusKilobytes(pid, "VmRSS") * 1024, statusKilobytes(pid, "VmHWM") * 1024);
    }

    /**
     * This JVM's heap after two full collections: what is really live. For memory per connection,
     * never inside a timed measurement (a full GC pauses everything).
     */
    public static long liveHeapBytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The CPU this process used since {@code before}, as a fraction of one core over {@code elapsed} (2.0 = two cores busy). */
    public double coresUsedSince(Resources before, Duration elapsed) {
        if (cpuNanos < 0 || before.cpuNanos < 0 || elapsed.isZero()) {
            return -1;
        }
        return (cpuNanos - before.cpuNanos) / (double) elapsed.toNanos();
    }

    /** A field of {@code /proc/PID/status} in kB, or -1 where there is no such file (not Linux). */
    static long statusKilobytes(long pid, String field) {
        try {
            return parseStatus(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")), field).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The value of {@code field} (e.g. "VmRSS:   123456 kB") in the lines of a status file. */
    static Optional<Long> parseStatus(Iterable<String> lines, String field) {
        for (String line : lines) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                return Optional.of(Long.parseLong(parts[0]));
            }
        }
        return Optional.empty();
    }
}
