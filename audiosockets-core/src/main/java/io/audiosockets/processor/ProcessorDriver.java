package io.audiosockets.processor;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.protocol.Gap;
import java.util.Objects;

/**
 * Runs a processor's own code ({@code onStart}, {@code processData}, {@code onGap},
 * {@code onStop}) from a source other than the mailman, such as a Kafka consumer, with the
 * mailman's guarantees: one call at a time, {@code onStart} before anything and {@code onStop}
 * last; an exception from the user code is logged with the stream and sequence number, counted in
 * {@link BaseProcessor#errors()}, and processing goes on; a chunk whose stream and sequence number
 * this processor object has processed (or been told were missing) already is not processed again;
 * {@link BaseProcessor#isRedelivery()} is true inside {@code processData} for a chunk handed in as
 * a redelivery. The counters ({@link BaseProcessor#processed()}, {@link BaseProcessor#gapChunks()},
 * {@link BaseProcessor#redeliveries()}) count as with the mailman.
 *
 * <p>The processor never connects to a mailman: a driven processor cannot be started, and a
 * started one cannot be driven. The caller decides when a chunk counts as done (a Kafka offset
 * commit, say): every method returns after the user code has.
 *
 * <p>Thread-safe: calls from several threads are serialised; the user code sees each call's
 * effects in the next.
 */
public final class ProcessorDriver implements AutoCloseable {
    private final BaseProcessor processor;
    private boolean started;
    private boolean stopped;

    /**
     * Takes {@code processor} over for driving.
     *
     * @throws IllegalStateException if it was started ({@link BaseProcessor#startAsync()}) or driven already
     */
    public ProcessorDriver(BaseProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor == null");
        if (!processor.claimForDriver()) {
            throw new IllegalStateException("processor '" + processor.name()
                    + "' is already started or driven: create a new processor object for each source");
        }
    }

    /** The processor driven. */
    public BaseProcessor processor() {
        return processor;
    }

    /** Calls {@code onStart} (once; later calls do nothing). The other methods call it first if needed. */
    public synchronized void start() {
        if (!started) {
            started = true;
            processor.driveStart();
        }
    }

    /**
     * Hands {@code chunk} to {@code processData} and returns when it has returned or thrown.
     *
     * @param redelivery whether an earlier consumer may have processed it already ({@link BaseProcessor#isRedelivery()})
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void process(AudioChunk chunk, boolean redelivery) {
        Objects.requireNonNull(chunk, "chunk == null");
        ensureRunning();
        processor.driveChunk(chunk, redelivery);
    }

    /**
     * Tells {@code onGap} that {@code gap}'s range will never come, before the chunk that follows it.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void gap(Gap gap) {
        Objects.requireNonNull(gap, "gap == null");
        ensureRunning();
        processor.driveGap(gap);
    }

    /** Calls {@code onStop} (if {@code onStart} ran), once. Idempotent. */
    @Override
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            if (started) {
                processor.driveStop();
            }
        }
    }

    private void ensureRunning() {
        if (stopped) {
            throw new IllegalStateException("processor '" + processor.name() + "': its driver is closed");
        }
        start();
    }
}
