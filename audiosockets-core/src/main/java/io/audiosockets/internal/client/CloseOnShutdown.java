package io.audiosockets.internal.client;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM shutdown hook that closes a client when the process is asked to stop (Ctrl-C, SIGTERM,
 * {@code System.exit}), so a library recorder or processor says goodbye (BYE with
 * {@code DISCONNECT_MSG}) and runs its tear-down as the command line does. Installed by a
 * blocking {@code start()} and removed when that returns:
 *
 * <pre>{@code
 * CloseOnShutdown hook = options.shutdownHook() ? CloseOnShutdown.install(label, this) : null;
 * try {
 *     ... start, and block until closed ...
 * } finally {
 *     if (hook != null) {
 *         hook.close();   // removes the hook; does nothing while the JVM is shutting down
 *     }
 * }
 * }</pre>
 *
 * <p>The JVM exits once every hook has returned, so the hook waits for {@code close()}; a
 * client's {@code close()} is bounded (the BYE answer, the last chunk being processed), and a
 * second Ctrl-C does not interrupt it: {@code kill -9} does.
 */
public final class CloseOnShutdown implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CloseOnShutdown.class);

    private final Thread hook;

    private CloseOnShutdown(Thread hook) {
        this.hook = hook;
    }

    /**
     * Registers a hook that calls {@code target.close()} when the JVM shuts down.
     *
     * @param label names the client in the log line, e.g. "processor 'VAD'"
     * @param target what to close; its {@code close()} must be safe to call from another thread
     * @return the registration; {@link #close()} removes the hook
     * @throws IllegalStateException if the JVM is already shutting down
     */
    public static CloseOnShutdown install(String label, AutoCloseable target) {
        Objects.requireNonNull(label, "label == null");
        Objects.requireNonNull(target, "target == null");
        Thread hook = new Thread(() -> {
            log.info("{}: the JVM is shutting down (Ctrl-C or SIGTERM); saying goodbye", label);
            try {
                target.close();
            } catch (Exception | LinkageError e) {
                log.warn("{}: close() failed during shutdown", label, e);
            }
        }, "shutdown-" + label);
        Runtime.getRuntime().addShutdownHook(hook);
        return new CloseOnShutdown(hook);
    }

    /**
     * Removes the hook: the client stopped by other means. Does nothing during shutdown (the
     * hook is then running, or has run). Idempotent.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: nothing to remove
        }
    }
}
