package io.audiosockets.processor;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run the user code ({@code processData}, {@code onGap}...) of many processors in one
 * program, instead of a thread per processor: a gateway that runs a thousand processors needs a few
 * threads, not a thousand, and the network threads hand a chunk over without waking a thread that
 * sleeps. Pass the same instance to each processor's options
 * ({@link ProcessorOptions.Builder#processorThreads}); closing a processor leaves the threads
 * running, and closing the threads (after the processors) stops them.
 *
 * <p>Every guarantee of a processor with a thread of its own holds: its code never runs on a network
 * thread, runs one chunk at a time and in order per stream, and a chunk is acknowledged after its
 * {@code processData} returns. A processor with chunks waiting takes a thread for at most
 * {@value #BATCH} of them, then queues behind the others, so a busy processor does not starve the
 * rest. What sharing gives up: a {@code processData} that blocks holds one of the threads while it
 * does, so as many processors blocked at once hold up all the others; give the pool more threads than
 * processors that may block at the same time, or run those with a thread of their own.
 *
 * <p>Made by {@link #create}.
 */
public final class ProcessorThreads implements AutoCloseable {
    /** Items (chunks, gaps, records) a processor handles per turn on a shared thread before it yields the thread. */
    public static final int BATCH = 64;

    private final ExecutorService pool;
    private final int threads;

    private ProcessorThreads(int threads, String name) {
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        // Not daemon threads, as a processor's own thread is not: they run until close().
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(r, name + "-" + n.incrementAndGet()));
    }

    /**
     * {@code threads} threads named {@code name-N} for the user code of the processors given them.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static ProcessorThreads create(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("processor threads : " + threads + " (expected: >= 1)");
        }
        return new ProcessorThreads(threads, name);
    }

    /** The number of threads. */
    public int threads() {
        return threads;
    }

    /** What processors submit their turns to. */
    Executor executor() {
        return pool;
    }

    /**
     * Stops the threads, waiting up to 5 s for the turns under way; the processors that use them must
     * be closed first.
     */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
