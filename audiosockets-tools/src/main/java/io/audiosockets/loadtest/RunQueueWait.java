package io.audiosockets.loadtest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long a process's threads have waited, runnable, for a CPU: the second field of Linux's
 * {@code /proc/PID/task/TID/schedstat}, summed over the threads alive now. On a machine that
 * other work shares, it tells a process that had nothing to do from one that was not let run.
 */
final class RunQueueWait {
    private RunQueueWait() {
    }

    /** Nanoseconds the threads of {@code pid} have waited for a CPU so far, or -1 where schedstat is missing. */
    static long nanos(long pid) {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                    sum += Long.parseLong(fields[1]);
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between the listing and the read: its wait is no longer counted anywhere
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The wait from {@code before} to {@code after} in cores (waiting nanoseconds per elapsed nanosecond), -1 if unknown. */
    static double cores(long before, long after, double seconds) {
        return before < 0 || after < 0 || seconds <= 0 ? -1 : Math.round((after - before) / 1e9 / seconds * 100) / 100.0;
    }
}
