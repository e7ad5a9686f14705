package io.audiosockets.builtin;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a built-in processor's lines go: one line per call, flushed at once so that a pipe
 * ({@code audiosockets process ... | grep speech}) sees each line live. Safe for several
 * processors writing to the same stream. When the reader goes away (a closed pipe, which a
 * {@link PrintWriter} never throws for), {@code onClosed} runs once, so the command can end as
 * a Unix filter does.
 */
public final class LineSink {
    private final PrintWriter out;
    private final Runnable onClosed;
    private final AtomicBoolean closedReported = new AtomicBoolean();

    /** Lines to {@code out}; a closed output is ignored. */
    public LineSink(PrintWriter out) {
        this(out, () -> { });
    }

    /** Lines to {@code out}; {@code onClosed} runs once, on the writing thread, when {@code out} fails. */
    public LineSink(PrintWriter out, Runnable onClosed) {
        this.out = Objects.requireNonNull(out, "out == null");
        this.onClosed = Objects.requireNonNull(onClosed, "onClosed == null");
    }

    /** Writes one line and flushes it. */
    public void line(String text) {
        boolean failed;
        synchronized (out) {
            out.println(text);
            out.flush();
            failed = out.checkError();
        }
        if (failed && closedReported.compareAndSet(false, true)) {
            onClosed.run();
        }
    }
}
