package io.audiosockets.testkit;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * A processor that records what it receives: every chunk and every gap, in order. Optionally
 * slow (a fixed time per chunk, to model a heavy model).
 */
public class CollectingProcessor extends BaseProcessor {
    /** Every chunk received, in the order processData saw them. */
    public final List<AudioChunk> chunks = new CopyOnWriteArrayList<>();
    /** Every gap announced, in order. */
    public final List<Gap> gaps = new CopyOnWriteArrayList<>();
    private final Duration workPerChunk;

    /** A processor that keeps what it receives and does no work. */
    public CollectingProcessor(ProcessorOptions options) {
        this(options, Duration.ZERO);
    }

    /** A processor that keeps what it receives and spends {@code workPerChunk} on each chunk (a slow model). */
    public CollectingProcessor(ProcessorOptions options, Duration workPerChunk) {
        super(options);
        this.workPerChunk = workPerChunk;
    }

    @Override
    protected void processData(AudioChunk chunk) throws InterruptedException {
        if (!workPerChunk.isZero()) {
            Thread.sleep(workPerChunk.toMillis()); // models a slow algorithm; not synchronisation
        }
        chunks.add(chunk);
    }

    @Override
    protected void onGap(Gap gap) {
        gaps.add(gap);
    }

    /** Sequence numbers received for {@code stream}, in order. */
    public List<Long> seqs(String stream) {
        List<Long> out = new ArrayList<>();
        for (AudioChunk c : chunks) {
            if (c.stream().equals(stream)) {
                out.add(c.seq());
            }
        }
        return out;
    }

    /** Waits (at most 20 s) until {@code condition} holds. */
    public static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
    }
}
