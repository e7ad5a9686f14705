package io.audiosockets.client;

import io.audiosockets.internal.client.SharedEventLoops;

/**
 * Network threads that many processors and recorders in one program share, instead of one
 * thread each: a program that runs a hundred clients needs a few threads, not a hundred. Pass
 * the same instance to each client's options ({@code ProcessorOptions.Builder.ioThreads},
 * {@code RecorderOptions.Builder.ioThreads}); closing a client leaves the threads running, and
 * closing the threads (after the clients) stops them.
 *
 * <p>The threads only move frames; a processor's own code runs on that processor's worker
 * thread, or on the {@code ProcessorThreads} its options name, never here, so a slow
 * {@code processData} never holds up another client's network I/O.
 *
 * <p>Made by {@link #create}; not for implementing.
 */
public interface IoThreads extends AutoCloseable {

    /**
     * {@code threads} network threads named {@code name-N}.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    static IoThreads create(int threads, String name) {
        return new SharedEventLoops(threads, name);
    }

    /** The number of threads. */
    int threads();

    /** Stops the threads, within a second; the clients that use them must be closed first. */
    @Override
    void close();
}
