package io.audiosockets.cli;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's answer to Ctrl-C or SIGTERM: close the mailman (clients are told it is shutting
 * down, buffers released), and if that has not finished within a deadline, halt the JVM anyway. A
 * service manager that sends SIGTERM expects the process gone promptly, whatever the load; a
 * mailman stuck behind a saturated event loop must not make it wait for SIGKILL.
 */
final class StopOnSignal {
    /** How long a graceful close may take before the JVM halts. */
    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(StopOnSignal.class);

    private StopOnSignal() {
    }

    /** Installs the hook: {@code close} on SIGTERM or Ctrl-C, and a halt with status 143 after {@link #DEADLINE}. */
    static void install(AutoCloseable closeable, String what) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(DEADLINE.toMillis());
                } catch (InterruptedException e) {
                    return; // closed in time
                }
                log.error("{} did not stop within {} s of the signal to stop; halting the JVM", what, DEADLINE.toSeconds());
                Runtime.getRuntime().halt(143);
            }, "stop-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("{}: error while stopping: {}", what, e.toString());
            } finally {
                watchdog.interrupt();
            }
        }, "mailman-shutdown"));
    }
}
