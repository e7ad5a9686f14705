package io.audiosockets.builtin;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * Where a built-in processor's lines go: one line per call, flushed at once so that a pipe
 * ({@code audiosockets process ... | grep speech}) sees each line live. Safe for several
 * processors writing to the same stream.
 */
public final class LineSink {
    private final PrintWriter out;

    /** Lines to {@code out}. */
    public LineSink(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out == null");
    }

    /** Writes one line and flushes it. */
    public void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
