package io.audiosockets.processor;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.mailman.ProcessorStatus;
import io.audiosockets.protocol.Gap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A processor for tests of {@link BaseProcessor#acknowledgeLater()}: it takes every chunk's
 * acknowledgement over and leaves it to the test, and records what it was handed.
 */
public final class DeferringProcessor extends BaseProcessor {
    /** Each chunk's acknowledgement, by seq. */
    public final Map<Long, PendingAck> pending = new ConcurrentHashMap<>();
    /** The seqs processed, in order. */
    public final List<Long> seqs = new CopyOnWriteArrayList<>();
    /** The gaps announced, as "from..to". */
    public final List<String> gaps = new CopyOnWriteArrayList<>();

    /** A processor with these options. */
    public DeferringProcessor(ProcessorOptions options) {
        super(options);
    }

    @Override
    protected void processData(AudioChunk chunk) {
        seqs.add(chunk.seq());
        pending.put(chunk.seq(), acknowledgeLater());
    }

    @Override
    protected void onGap(Gap gap) {
        gaps.add(gap.fromSeq() + ".." + gap.toSeq());
    }

    /** Gives the acknowledgements of seqs {@code from..to} that were taken over (missing seqs, such as a gap's, are skipped). */
    public void acknowledge(long from, long to) {
        for (long s = from; s <= to; s++) {
            PendingAck a = pending.get(s);
            if (a != null) {
                a.acknowledge();
            }
        }
    }

    /** The last seq of {@code stream} the mailman counts as acknowledged by {@code processor}, or Long.MIN_VALUE if none is connected. */
    public static long ackedSeq(Mailman mailman, String processor, String stream) {
        return cursor(mailman, processor, stream).map(ProcessorStatus.Cursor::ackedSeq).orElse(Long.MIN_VALUE);
    }

    /** The next seq of {@code stream} the mailman will send {@code processor}, or Long.MIN_VALUE if none is connected. */
    public static long nextSeq(Mailman mailman, String processor, String stream) {
        return cursor(mailman, processor, stream).map(ProcessorStatus.Cursor::nextSeq).orElse(Long.MIN_VALUE);
    }

    private static Optional<ProcessorStatus.Cursor> cursor(Mailman mailman, String processor, String stream) {
        return mailman.status().processors().stream().filter(p -> p.name().equals(processor))
                .flatMap(p -> p.cursors().stream()).filter(c -> c.stream().equals(stream)).findFirst();
    }
}
