package io.audiosockets.mailman;

import io.audiosockets.config.Limits;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Who is connected to the mailman: the stream logs, the live recorder of each stream, the live
 * processors by name, and the positions of processors that left (so they resume where they
 * left off when they come back under the same name).
 *
 * <p>Nothing here grows with the names clients have ever used, only with the clients there are:
 * a stream whose recorder has gone is forgotten once it has been quiet (no chunk in, none read)
 * for the retention ({@link #forgetQuietStreams}), keeping only where its numbering ended, for the
 * {@value #MAX_ENDED} most recently ended streams; departed processors' positions are kept for
 * {@value #MAX_PARKED} names and {@value #MAX_PARKED_POSITIONS} positions at most.
 *
 * <p>Thread-safe (guarded by {@code this}). Sessions call in from their own event loops; the
 * registry never calls back into a session under its lock except to schedule work on the
 * session's own loop.
 */
final class Registry {
    private static final Logger log = LoggerFactory.getLogger(Registry.class);

    /** How many departed processor names keep their positions; the least recently used go first. */
    static final int MAX_PARKED = 10_000;
    /** How many positions all departed processors keep together; the least recently used names go first. */
    static final int MAX_PARKED_POSITIONS = 100_000;
    /** How many forgotten streams keep the number their next chunk would have; the least recently ended go first. */
    static final int MAX_ENDED = 10_000;

    private final Duration retention;
    private final long retentionBytes;
    private final Limits limits;
    /** Read by the stream logs for their arrival and activity times. */
    private final Ticker ticker;
    /** All the logs' chunks together, held to RETENTION_MAX_BYTES ({@link #reclaim()}). */
    private final RetentionBudget budget;
    /** Where the logs take the direct memory that holds their chunks. */
    private final ByteBufAllocator alloc;
    private final MailmanStats stats;
    /** When the last "budget full" line was logged ({@link Ticker#nanoTime()}); touched only by the one reclaim running. */
    private long lastBudgetWarningNanos;
    private boolean budgetWarned;
    private final Map<String, StreamLog> streams = new HashMap<>();
    private final Map<String, Session> recorders = new HashMap<>();
    private final Map<String, ProcessorSession> processors = new HashMap<>();
    private final Map<String, Map<String, Position>> parked = new LinkedHashMap<>(16, 0.75f, true);
    /** Positions in {@code parked}, all names together. */
    private int parkedPositions;
    /** Forgotten streams: the sequence number each one's next chunk would have had. */
    private final Map<String, Long> ended = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_ENDED;
        }
    };

    /**
     * Where a departed processor stood in one stream.
     *
     * @param next the next sequence number it has not acknowledged
     * @param sentUpTo the highest sequence number it was sent (what follows next up to here is a redelivery)
     */
    record Position(long next, long sentUpTo) {
    }

    /** A client that holds a name: how to replace it when the same instance reconnects (see {@link NamedSession}). */
    interface Session {
        long instanceId();

        /** Closes the session with a REPLACED error; the future completes once it has released its name. */
        CompletableFuture<Void> replace();
    }

    /** The outcome of claiming a name. */
    sealed interface Claim {
    }

    /** The name is now the caller's. */
    record Granted() implements Claim {
    }

    /** Another instance holds the name. */
    record Taken(long holderInstance) implements Claim {
    }

    /** A limit is reached; {@code message} names it and its key. */
    record Refused(String message) implements Claim {
    }

    /** The stream carries the other kind (audio for a publisher, records for a recorder); {@code message} says so. */
    record WrongKind(String message) implements Claim {
    }

    /** The same instance holds the name on an older connection; retry once {@code released} completes. */
    record Replacing(CompletableFuture<Void> released) implements Claim {
    }

    Registry(Duration retention, long retentionBytes, Limits limits, Ticker ticker, RetentionBudget budget, MailmanStats stats,
             ByteBufAllocator alloc) {
        this.alloc = alloc;
        this.retention = retention;
        this.retentionBytes = retentionBytes;
        this.limits = limits;
        this.ticker = ticker;
        this.budget = budget;
        this.stats = stats;
    }

    /** What the logs hold together, and the most they may. */
    RetentionBudget budget() {
        return budget;
    }

    /**
     * When the logs together hold more than RETENTION_MAX_BYTES, lets go of the chunks that arrived
     * first, across all streams, until they are back under the low-water mark; readers that still
     * needed them get the exact gap. Cheap when the budget is not full; one thread at a time
     * reclaims (the others go on: the total may pass the budget by what arrives meanwhile). Takes
     * the registry's lock only to list the logs, then each log's alone.
     */
    void reclaim() {
        if (!budget.over() || !budget.startReclaim()) {
            return;
        }
        try {
            long before = budget.usedBytes();
            int evicted = 0;
            int streamsTouched = 0;
            for (int round = 0; round < 64 && budget.excessOverLowWater() > 0; round++) {
                StreamLog[] logs;
                synchronized (this) {
                    logs = streams.values().toArray(new StreamLog[0]);
                }
                long oldest = Long.MAX_VALUE;
                for (StreamLog log : logs) {
                    oldest = Math.min(oldest, log.oldestArrivalOrder());
                }
                if (oldest == Long.MAX_VALUE) {
                    break; // nothing held: what is over is on its way in
                }
                // Arrival orders count bytes: what arrived in the next `excess` bytes after the oldest chunk is at
                // most what must go (chunks evicted earlier leave holes, hence the rounds).
                long cutoff = oldest + budget.excessOverLowWater();
                for (StreamLog log : logs) {
                    int n = log.evictArrivedBefore(cutoff);
                    if (n > 0) {
                        evicted += n;
                        streamsTouched++;
                    }
                }
            }
            stats.budgetEvictions.add(evicted);
            warnBudgetFull(before, evicted, streamsTouched);
        } finally {
            budget.endReclaim();
        }
    }

    private void warnBudgetFull(long before, int evicted, int streamsTouched) {
        long now = ticker.nanoTime();
        if (budgetWarned && now - lastBudgetWarningNanos < TimeUnit.SECONDS.toNanos(30)) {
            log.debug("retention budget full: let go of {} chunks of {} streams ({} -> {} bytes)", evicted, streamsTouched, before,
                    budget.usedBytes());
            return;
        }
        budgetWarned = true;
        lastBudgetWarningNanos = now;
        log.warn("retention budget full: the streams held {} MiB (RETENTION_MAX_BYTES = {} MiB), so the mailman let go of the {} "
                + "chunks that arrived first ({} streams); processors that still needed them get a RETENTION_EXCEEDED gap. To "
                + "keep more, raise RETENTION_MAX_BYTES (and -XX:MaxDirectMemorySize) or lower RETENTION_SECONDS. (Said at most "
                + "every 30 s.)", before >> 20, budget.maxBytes() >> 20, evicted, streamsTouched);
    }

    /** Claims a stream name for a recorder (audio) or a publisher (records) of {@code kind}. */
    synchronized Claim claimRecorder(String stream, StreamLog.Kind kind, Session session) {
        Claim held = contest(recorders.get(stream), session);
        if (held != null) {
            return held;
        }
        StreamLog existing = streams.get(stream);
        if (existing != null && existing.kind() != kind) {
            return new WrongKind("stream '" + stream + "' carries " + (existing.kind() == StreamLog.Kind.AUDIO
                    ? "audio: publish results under a name of their own, such as '" + stream + ".results'"
                    : "records (a processor's results): record audio under another name") + "; a stream keeps its kind until it "
                    + "is forgotten (RETENTION_SECONDS after its last sender left)");
        }
        if (!streams.containsKey(stream) && streams.size() >= limits.maxStreams()) {
            return new Refused("this mailman already keeps " + streams.size() + " streams (MAX_STREAMS = " + limits.maxStreams()
                    + "); a new stream fits once a stream whose recorder left has been quiet for RETENTION_SECONDS, or "
                    + "after a restart with a higher MAX_STREAMS");
        }
        recorders.put(stream, session);
        return new Granted();
    }

    /**
     * A claim on a name {@code holder} holds, the same for every kind of name: the same client
     * instance replaces its older connection, another instance is refused; {@code null} if the
     * name is free ({@code holder} is {@code null}).
     */
    private static Claim contest(Session holder, Session claimant) {
        if (holder == null) {
            return null;
        }
        return holder.instanceId() == claimant.instanceId() ? new Replacing(holder.replace()) : new Taken(holder.instanceId());
    }

    /** The log of {@code stream}, created on first use as a log of {@code kind}; a new log is offered to every subscribed processor. */
    StreamLog log(String stream, StreamLog.Kind kind) {
        List<ProcessorSession> toAttach = new ArrayList<>();
        StreamLog log;
        synchronized (this) {
            log = streams.get(stream);
            if (log != null) {
                return log;
            }
            Long endedAt = ended.remove(stream);
            log = new StreamLog(stream, kind, retention, retentionBytes, endedAt == null ? -1 : endedAt, ticker, budget, alloc);
            streams.put(stream, log);
            for (ProcessorSession p : processors.values()) {
                if (p.receives(log)) {
                    toAttach.add(p);
                }
            }
        }
        for (ProcessorSession p : toAttach) {
            p.attachNewStream(log);
        }
        return log;
    }

    synchronized void releaseRecorder(String stream, Session session) {
        recorders.remove(stream, session);
    }

    /**
     * Claims a processor name. When granted, {@code whenGranted} receives the logs the processor
     * subscribes to and its parked positions, atomically with the registration, so no stream
     * created meanwhile is missed or offered twice. Parked positions of streams it does not
     * subscribe to go to {@code carried}, so that a later connection under the same name that
     * subscribes to them again still finds them. A position, parked or in the HELLO, in a
     * stream that has since been forgotten comes with an {@linkplain StreamLog#ended ended log},
     * from which the processor learns, as a gap, what it missed.
     */
    synchronized Claim claimProcessor(ProcessorSession session, Map<StreamLog, Position> whenGranted,
                                      Map<String, Position> carried) {
        Claim held = contest(processors.get(session.name()), session);
        if (held != null) {
            return held;
        }
        if (processors.size() >= limits.maxProcessors()) {
            return new Refused(processors.size() + " processors are registered (MAX_PROCESSORS = " + limits.maxProcessors()
                    + "); try again when one has left");
        }
        processors.put(session.name(), session);
        Map<String, Position> positions = parked.remove(session.name());
        if (positions != null) {
            parkedPositions -= positions.size();
            positions.forEach((stream, position) -> {
                if (!session.subscribes(stream)) {
                    carried.put(stream, position);
                }
            });
        }
        for (StreamLog log : streams.values()) {
            if (session.receives(log)) {
                whenGranted.put(log, positions == null ? null : positions.get(log.stream()));
            }
        }
        Set<String> known = new HashSet<>(session.explicitPositions().keySet());
        if (positions != null) {
            known.addAll(positions.keySet());
        }
        for (String stream : known) {
            Long endSeq = ended.get(stream);
            if (endSeq != null && session.subscribes(stream) && !streams.containsKey(stream)) {
                whenGranted.put(StreamLog.ended(stream, endSeq), positions == null ? null : positions.get(stream));
            }
        }
        return new Granted();
    }

    /** Unregisters a processor and keeps its positions for a later resume under the same name. */
    synchronized void releaseProcessor(ProcessorSession session, Map<String, Position> positions) {
        if (processors.remove(session.name(), session) && !positions.isEmpty()) {
            Map<String, Position> before = parked.put(session.name(), positions);
            parkedPositions += positions.size() - (before == null ? 0 : before.size());
            // Least recently used first; the name just parked is the most recent, and always stays.
            for (Iterator<Map<String, Position>> it = parked.values().iterator();
                 parked.size() > 1 && (parked.size() > MAX_PARKED || parkedPositions > MAX_PARKED_POSITIONS); ) {
                parkedPositions -= it.next().size();
                it.remove();
            }
        }
    }

    /** The logs and the live sessions at one moment: what {@link Mailman#status()} reads. */
    record Sessions(List<StreamLog> logs, Set<String> recorderStreams, List<RecorderSession> recorders,
                    List<ProcessorSession> processors) {
    }

    synchronized Sessions sessions() {
        List<RecorderSession> live = new ArrayList<>();
        for (Session s : recorders.values()) {
            if (s instanceof RecorderSession r) {
                live.add(r);
            }
        }
        return new Sessions(new ArrayList<>(streams.values()), new HashSet<>(recorders.keySet()), live,
                new ArrayList<>(processors.values()));
    }

    /** The log of {@code stream}, or null if the mailman keeps none. */
    synchronized StreamLog existing(String stream) {
        return streams.get(stream);
    }

    /** Names of live processors. */
    synchronized List<String> processorNames() {
        return new ArrayList<>(processors.keySet());
    }

    /** Names of streams with a live recorder. */
    synchronized List<String> recorderStreams() {
        return new ArrayList<>(recorders.keySet());
    }

    /** Names of the streams the mailman keeps a log for: with a live recorder, or not quiet for long enough yet. */
    synchronized List<String> streamNames() {
        return new ArrayList<>(streams.keySet());
    }

    /**
     * Forgets every stream whose recorder has gone and which has been quiet for the retention at
     * {@code nowNanos} (the mailman's {@link Ticker}): its
     * log ends (releasing its chunks; readers still behind get their last gap) and only the
     * number its next chunk would have had is kept, so that a recorder of that name continues it.
     * Without this, every stream name ever used would hold its last chunks, and a slot of
     * MAX_STREAMS, until the mailman restarts.
     *
     * @return the logs ended now
     */
    List<StreamLog> forgetQuietStreams(long nowNanos) {
        List<StreamLog> forgotten = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<String, StreamLog>> it = streams.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, StreamLog> e = it.next();
                StreamLog log = e.getValue();
                if (!recorders.containsKey(e.getKey()) && log.quietNanos(nowNanos) >= retention.toNanos()) {
                    it.remove();
                    if (log.nextSeq() >= 0) {
                        ended.put(e.getKey(), log.nextSeq());
                    }
                    // Marked under our lock: a recorder of the same name that comes back gets its new log from us,
                    // so every processor sees the old log ended before it can be offered the new one.
                    log.markEnded();
                    forgotten.add(log);
                }
            }
        }
        forgotten.forEach(StreamLog::end); // releasing the chunks and waking the readers need not hold up handshakes
        return forgotten;
    }

    /** Releases every log. */
    synchronized void close() {
        streams.values().forEach(StreamLog::close);
    }
}
