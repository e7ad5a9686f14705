package io.audiosockets.processor;

import io.audiosockets.client.ConnectionInfo;
import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.client.ClientConnection;
import io.audiosockets.internal.client.SharedEventLoops;
import io.audiosockets.internal.client.CloseOnShutdown;
import io.audiosockets.client.MailmanException;
import io.audiosockets.internal.config.ConfigLoader;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.logging.LoggingSetup;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.protocol.Gap;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.RecordFrame;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor: registers with the mailman by name and receives every chunk of the streams it
 * subscribes to, in order (the paper's {@code BaseProcessorSocket}). Subclass it and override
 * {@link #processData}, exactly as in the paper:
 *
 * <pre>{@code
 * class LmsProcessor extends BaseProcessor {
 *     LmsProcessor(String name, Path config) { super(name, config); }
 *
 *     @Override
 *     protected void processData(AudioChunk chunk) {
 *         double[][] lms = new LogMelSpectrogram(chunk.sampleRate()).compute(chunk.channel(0));
 *         System.out.println(lms.length + " x " + lms[0].length);
 *     }
 * }
 * new LmsProcessor("VAD", Path.of("server_info.json")).start();   // blocks, like the paper's
 * }</pre>
 *
 * or hand it a lambda: {@code BaseProcessor.of("printer", config, chunk -> ...).startAsync()}.
 *
 * <h3>Threads</h3>
 * Your code runs on a thread of the processor's own ("processor-NAME"), or on threads shared with
 * other processors if its options name {@link ProcessorThreads} (a program with hundreds of
 * processors), never on a network thread: one chunk at a time, in order per stream. A chunk is
 * acknowledged to the mailman after {@code processData} returns (or later, when work that
 * finishes elsewhere is done: {@link #acknowledgeLater()}); the mailman sends at most
 * {@code window} chunks ahead, so a slow processor holds nothing up but itself. An exception in
 * your code is logged with the stream and sequence number, counted ({@link #errors()}), and
 * processing goes on.
 *
 * <h3>Gaps</h3>
 * If this processor falls further behind than the mailman's retention, or the recorder lost
 * chunks, {@link #onGap} is called with the exact missing range before the next chunk. Nothing
 * is ever skipped without it.
 *
 * <h3>Disconnects</h3>
 * The processor reconnects every {@code RECONNECT_SECONDS} (on average; each wait is jittered)
 * and resumes after the last chunk it processed. No chunk is processed twice within the life of
 * one processor object.
 *
 * <h3>Stopping</h3>
 * {@link #close()} from any thread; with {@link #start()}, also Ctrl-C or SIGTERM, through a
 * JVM shutdown hook you can turn off ({@link ProcessorOptions.Builder#shutdownHook(boolean)}).
 */
public abstract class BaseProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BaseProcessor.class);
    private static final Object STOP = new Object();

    private final ProcessorOptions options;
    private final String label;
    private final ClientConnection connection;
    /** Streams a processor subscribed to "all" may receive at once before the queue guard trips. */
    private static final int MAX_UNLISTED_STREAMS = 1024;
    private final BlockingQueue<Object> queue;
    private final long instanceId = ThreadLocalRandom.current().nextLong();
    /** Per stream, the last sequence number processed (or known missing); written by the worker. */
    private final Map<String, Long> done = new ConcurrentHashMap<>();
    private final Map<String, Long> pendingAcks = new ConcurrentHashMap<>();
    private final AtomicBoolean ackFlushScheduled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong gapChunks = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();
    private final CompletableFuture<Void> workerDone = new CompletableFuture<>();
    private final Runnable flushAcksTask = this::flushAcks;
    /** Says in this process's log when user code falls behind a stream (LAG_WARN_SECONDS). Confined to the user code's thread. */
    private final LagWatch lagWatch;
    /** Shared threads for the user code, or null for a thread of the processor's own. */
    private final Executor shared;
    private final Runnable turnTask = this::turn;
    /** Whether a turn on the shared threads is queued or running. */
    private final AtomicBoolean turnScheduled = new AtomicBoolean();
    /** The shared thread running this processor's turn, or null: what close() interrupts if the code hangs. */
    private volatile Thread turnThread;
    /** Turn-confined (turns run one at a time, each after the previous one): onStart run, STOP handled. */
    private boolean userStarted;
    private boolean finished;
    private Thread worker;
    /** Whether the chunk in processData was a redelivery; worker-confined. */
    private boolean currentRedelivery;
    /** Run by a {@link ProcessorDriver} instead of the mailman: no connection, nothing to acknowledge. */
    private volatile boolean driven;
    /** Per stream, the last sequence number the mailman may be told is done, kept once deferring: what the next HELLO resumes after. */
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    /** Per stream, the acknowledgements in line, for streams where acknowledgeLater() was ever used. */
    private final Map<String, AckOrder> ackOrders = new ConcurrentHashMap<>();
    /** Whether acknowledgeLater() was ever called: from then on positions come from {@link #acked}. */
    private volatile boolean deferring;
    /** Acknowledgements handed out by acknowledgeLater() and not given yet; guarded by itself for close()'s wait. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Set by close() while it waits for outstanding acknowledgements: nothing more is processed. */
    private volatile boolean draining;
    /** The delivery in processData/processRecord, the thread running it, and its deferred acknowledgement; user-code-thread confined. */
    private Delivery current;
    private Thread currentThread;
    private PendingAck currentDeferred;

    /** A chunk, or a record of a result stream, as handed from the event loop to the worker. */
    private record Delivery(AudioChunk chunk, ResultRecord record, boolean redelivery) {
        String stream() {
            return chunk != null ? chunk.stream() : record.stream();
        }

        long seq() {
            return chunk != null ? chunk.seq() : record.seq();
        }
    }

    /**
     * A processor named {@code name} configured by a JSON file, as the paper's
     * {@code BaseProcessorSocket("VAD", "server_info.json")}. The file's {@code logging_format}
     * and {@code logging_level} take effect unless you configured logging yourself.
     *
     * @throws io.audiosockets.config.ConfigException naming the file and key at fault
     */
    protected BaseProcessor(String name, Path configFile) {
        this(ProcessorOptions.builder(name).config(fromFile(configFile)).build());
    }

    /** A processor named {@code name} with this configuration, subscribed to every stream. */
    protected BaseProcessor(String name, NetworkConfig config) {
        this(ProcessorOptions.builder(name).config(config).build());
    }

    /** A processor with these options. */
    protected BaseProcessor(ProcessorOptions options) {
        this.options = Objects.requireNonNull(options, "options == null");
        this.label = "processor '" + options.name() + "'";
        // The mailman never has more than `window` chunks per stream in flight to us, so the window bounds
        // this queue while it keeps the protocol. With no subscription list the number of streams is not
        // known in advance: the capacity is then only a guard against a mailman that breaks the window.
        int streams = options.subscriptions().isEmpty() ? MAX_UNLISTED_STREAMS : options.subscriptions().size();
        this.queue = new LinkedBlockingQueue<>(options.window() * streams + 64);
        this.lagWatch = new LagWatch(log, label, options.config().monitoring().lagWarn(), BaseProcessor::epochNanos, System::nanoTime);
        this.connection = new ClientConnection(label, options.config(), SharedEventLoops.groupOf(options.ioThreads()), new Callbacks(), options.listener());
        this.shared = options.processorThreads() != null ? options.processorThreads().executor() : null;
    }

    /** A processor that runs {@code handler} for every chunk: the lambda form. */
    public static BaseProcessor of(ProcessorOptions options, ChunkHandler handler) {
        Objects.requireNonNull(handler, "handler == null");
        return new BaseProcessor(options) {
            @Override
            protected void processData(AudioChunk chunk) throws Exception {
                handler.processData(chunk);
            }
        };
    }

    /** A processor named {@code name} that runs {@code handler} for every chunk of every stream. */
    public static BaseProcessor of(String name, NetworkConfig config, ChunkHandler handler) {
        return of(ProcessorOptions.builder(name).config(config).build(), handler);
    }

    /**
     * A processor named {@code name}, configured by the paper's JSON file, that runs
     * {@code handler} for every chunk.
     *
     * @throws io.audiosockets.config.ConfigException if the file cannot be loaded, naming the file and the key
     */
    public static BaseProcessor of(String name, Path configFile, ChunkHandler handler) {
        return of(name, fromFile(configFile), handler);
    }

    /**
     * The file's configuration; its {@code logging_format} and {@code logging_level} take effect
     * unless the user configured logging (see {@link LoggingSetup#applyIfDefault}).
     */
    private static NetworkConfig fromFile(Path configFile) {
        NetworkConfig config = ConfigLoader.load(configFile);
        LoggingSetup.applyIfDefault(config);
        return config;
    }

    /**
     * Processes one chunk: override this (the paper's {@code process_data}). Runs on the
     * processor's thread, one chunk at a time, in order per stream.
     *
     * @throws Exception anything; it is logged with the stream and sequence number and counted
     */
    protected abstract void processData(AudioChunk chunk) throws Exception;

    /**
     * Processes one record of a result stream (another processor's results, such as a VAD's
     * events; PROTOCOL.md §9): override it to use them. Runs on the processor's thread, in order
     * per stream, interleaved with {@link #processData}; acknowledged when it returns, as a chunk
     * is. Does nothing by default: a processor subscribed to every stream acknowledges and skips
     * the records it gets.
     *
     * @throws Exception anything; it is logged with the stream and sequence number and counted
     */
    protected void processRecord(ResultRecord record) throws Exception {
    }

    /** Called on the processor's thread before the first chunk. Does nothing by default. */
    protected void onStart() throws Exception {
    }

    /**
     * Called on the processor's thread when a range of a stream will never arrive, before the
     * chunk that follows it. Does nothing by default (the mailman already logged it).
     */
    protected void onGap(Gap gap) throws Exception {
    }

    /** Called on the processor's thread after the last chunk, when the processor closes. Does nothing by default. */
    protected void onStop() throws Exception {
    }

    /**
     * Connects and processes until {@link #close()} is called from another thread or the JVM is
     * asked to stop, like the paper's {@code processor.start()}. On Ctrl-C or SIGTERM a shutdown
     * hook closes the processor as {@link #close()} does: goodbye to the mailman, the chunk in
     * progress finished, {@link #onStop()} run; turn it off with
     * {@link ProcessorOptions.Builder#shutdownHook(boolean)}.
     *
     * @throws MailmanException if the mailman refuses this processor for good (bad name, wrong token...)
     */
    public final void start() {
        CloseOnShutdown hook = options.shutdownHook() ? CloseOnShutdown.install(label, this) : null;
        try {
            startAsync();
            try {
                connection.terminated().join();
            } catch (CompletionException e) {
                close();
                if (e.getCause() instanceof MailmanException m) {
                    throw m;
                }
                throw e;
            }
            workerDone.join();
        } finally {
            if (hook != null) {
                hook.close(); // stopped by other means: the hook must not keep this processor reachable
            }
        }
    }

    /**
     * Connects and processes in the background; returns at once. {@link #close()} stops it.
     *
     * @return this processor, the handle to close
     * @throws IllegalStateException if already started
     */
    public final BaseProcessor startAsync() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(label + (driven ? " is driven by a ProcessorDriver: it cannot connect to a mailman too"
                    : " already started"));
        }
        if (shared != null) {
            scheduleTurn(); // onStart, before any chunk
        } else {
            worker = new Thread(this::workLoop, "processor-" + options.name());
            worker.start();
        }
        connection.start();
        return this;
    }

    /** The processor's name. */
    public final String name() {
        return options.name();
    }

    /** The processor's options. */
    public final ProcessorOptions options() {
        return options;
    }

    /** Completes with the first WELCOME, or exceptionally if the mailman refuses the processor. */
    public final CompletableFuture<ConnectionInfo> connected() {
        return connection.firstWelcome();
    }

    /** Completes when the processor has stopped for good (exceptionally if the mailman refused it). */
    public final CompletableFuture<Void> terminated() {
        return connection.terminated();
    }

    /** Chunks and records processed (processData or processRecord returned or threw). */
    public final long processed() {
        return processed.get();
    }

    /** Chunks and records whose processData or processRecord threw. */
    public final long errors() {
        return errors.get();
    }

    /** Chunks announced missing by gaps. */
    public final long gapChunks() {
        return gapChunks.get();
    }

    /** Chunks the mailman flagged as sent before (to an earlier connection under this name). */
    public final long redeliveries() {
        return redeliveries.get();
    }

    /**
     * Called from {@link #processData}: true if the chunk being processed is a redelivery, one
     * the mailman sent to an earlier connection under this processor's name that never
     * acknowledged it: a crashed instance may have processed it already (at-least-once). A
     * processor with side effects outside itself (a file, a database) can use it to check
     * before it writes twice.
     */
    protected final boolean isRedelivery() {
        return currentRedelivery;
    }

    /**
     * Called from {@link #processData} (or {@link #processRecord}), on the processor's thread: the
     * chunk being processed is acknowledged to the mailman not when the method returns but when the
     * returned {@link PendingAck#acknowledge()} is called, from any thread, once it and every chunk
     * before it on its stream are done. For work that finishes elsewhere and later (a write to Kafka
     * or a database): the method hands the chunk on and returns, the next chunk comes at once, and
     * at most the processor's {@code window} chunks per stream are unacknowledged at a time (the
     * mailman sends no more), which bounds the work in flight. A chunk never acknowledged is never
     * acknowledged to the mailman: the stream stops at the window, and the next processor under
     * this name gets the chunk again, flagged as a redelivery. {@link #close()} waits up to
     * {@value #DRAIN_SECONDS} s for the acknowledgements outstanding before it says goodbye,
     * processing nothing more meanwhile: work that acknowledges only when the next chunk comes,
     * or in {@link #onStop()} (which runs after the goodbye), has its last acknowledgements
     * redelivered to the next processor under this name instead. After a reconnect the processor
     * resumes after the last chunk acknowledged: the chunks still waiting come again and are
     * skipped (they are on their way), gaps already announced are not announced twice.
     *
     * @throws IllegalStateException if called outside processData/processRecord or off the processor's thread,
     *         twice for one chunk, or in a processor run by a {@link ProcessorDriver} (which commits when processData returns)
     */
    protected final PendingAck acknowledgeLater() {
        if (driven) {
            throw new IllegalStateException(label + ": acknowledgeLater() is for a processor of the mailman; a processor run by a "
                    + "ProcessorDriver is committed when processData returns");
        }
        Delivery d = current;
        if (d == null || currentThread != Thread.currentThread()) {
            throw new IllegalStateException(label + ": acknowledgeLater() is called from processData or processRecord, on the "
                    + "processor's thread");
        }
        if (currentDeferred != null) {
            throw new IllegalStateException(label + ": acknowledgeLater() was already called for stream '" + d.stream() + "' seq "
                    + d.seq());
        }
        deferring = true;
        outstanding.incrementAndGet();
        currentDeferred = ackOrders.computeIfAbsent(d.stream(), s -> new AckOrder(s, this::settled)).defer(d.seq());
        return currentDeferred;
    }

    /** Acknowledgements handed out by {@link #acknowledgeLater()} and not given yet. */
    public final int pendingAcknowledgements() {
        return outstanding.get();
    }

    /**
     * Says goodbye to the mailman (BYE), lets the chunk being processed finish, drops the ones
     * queued behind it (they are not acknowledged, so a processor that comes back under this
     * name gets them again), calls {@link #onStop()} and ends the processor's thread. Idempotent.
     * A processor that used {@link #acknowledgeLater()} first processes nothing more and waits up
     * to {@value #DRAIN_SECONDS} s for its outstanding acknowledgements, so that the mailman has
     * them before the goodbye.
     */
    @Override
    public final void close() {
        if (deferring && started.get()) {
            drain();
        }
        connection.close();
        queue.clear();
        queue.offer(STOP);
        if (shared != null) {
            if (started.get()) {
                scheduleTurn();
                if (turnThread != Thread.currentThread()) {
                    awaitLastTurn();
                }
            }
        } else if (worker != null && worker != Thread.currentThread()) {
            try {
                worker.join(5_000);
                if (worker.isAlive()) {
                    log.warn("{}: processData still running 5 s after close(); interrupting it", label);
                    worker.interrupt();
                    worker.join(1_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long close() waits for the acknowledgements of a processor that uses acknowledgeLater(). */
    static final int DRAIN_SECONDS = 5;

    // close() of a deferring processor: nothing more is processed; the acknowledgements given meanwhile reach the mailman before the BYE.
    private void drain() {
        draining = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        synchronized (outstanding) {
            long left;
            while (outstanding.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(outstanding, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        int left = outstanding.get();
        if (left > 0) {
            log.warn("{}: {} chunk(s) still not acknowledged by the processor's work {} s after close(); saying goodbye without "
                    + "them: the mailman gives them again to the next processor under this name, flagged as redeliveries",
                    label, left, DRAIN_SECONDS);
        }
    }

    // The position to resume a stream at, for a processor that defers acknowledgements: after the last one given, else
    // at the first still waiting (a stream with none given yet must not fall back to its start position: LIVE would
    // skip what is on its way), else after the last processed.
    private long resumeAfterAcknowledged(String stream, long lastDone) {
        Long given = acked.get(stream);
        if (given != null) {
            return given + 1;
        }
        AckOrder order = ackOrders.get(stream);
        long first = order == null ? -1 : order.firstWaiting();
        return first >= 0 ? first : lastDone + 1;
    }

    // Any thread: an acknowledgement of acknowledgeLater() was given; upTo is what may now be acknowledged, or -1.
    private void settled(String stream, long upTo, PendingAck pending) {
        if (upTo >= 0) {
            acknowledge(stream, upTo);
        }
        if (outstanding.decrementAndGet() == 0) {
            synchronized (outstanding) {
                outstanding.notifyAll();
            }
        }
    }

    // The user code's thread: something announced again after a reconnect is acknowledged again if its acknowledgement
    // was given (the mailman resumed before it); one still pending is acknowledged by its place in line.
    private void acknowledgeIfGiven(String stream, long seq) {
        Long given = deferring ? acked.get(stream) : null;
        if (given != null && seq <= given) {
            acknowledge(stream, seq);
        }
    }

    // The user code's thread: stream's seq is done (processData returned, or a gap ended there).
    private void complete(String stream, long seq) {
        AckOrder order = deferring ? ackOrders.get(stream) : null;
        if (order == null || order.completed(seq)) {
            acknowledge(stream, seq);
        }
    }

    // The processor's own thread: user code runs here and nowhere else.
    private void workLoop() {
        try {
            call("onStart", null, -1, this::onStart);
            while (handle(queue.take())) {
                // next
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            call("onStop", null, -1, this::onStop);
            workerDone.complete(null);
        }
    }

    // Queues a turn on the shared threads unless one is queued or running. Any thread.
    private void scheduleTurn() {
        if (turnScheduled.compareAndSet(false, true)) {
            try {
                shared.execute(turnTask);
            } catch (RejectedExecutionException e) {
                turnScheduled.set(false);
                if (workerDone.complete(null)) { // once: frames may still arrive until the connection is closed
                    log.error("{}: its ProcessorThreads were closed before the processor; it stops without onStop", label);
                    connection.close();
                }
            }
        }
    }

    // A turn on a shared thread: up to BATCH items, then the thread goes to the next processor. Turns run one at a
    // time (turnScheduled), each seeing what the previous one did (the executor's hand-off orders them).
    private void turn() {
        turnThread = Thread.currentThread();
        try {
            if (finished) {
                return;
            }
            if (!userStarted) {
                userStarted = true;
                call("onStart", null, -1, this::onStart);
            }
            for (int i = 0; i < ProcessorThreads.BATCH; i++) {
                Object item = queue.poll();
                if (item == null) {
                    break;
                }
                if (!handle(item)) {
                    finished = true;
                    call("onStop", null, -1, this::onStop);
                    workerDone.complete(null);
                    return;
                }
            }
        } finally {
            turnThread = null;
            Thread.interrupted(); // close()'s interrupt was meant for this processor's code, not for the next one here
            turnScheduled.set(false);
        }
        if (!queue.isEmpty()) {
            scheduleTurn(); // more came, or more than a batch waited: queue behind the other processors
        }
    }

    // close() on a processor with shared threads: waits for its last turn (onStop), as for its own thread.
    private void awaitLastTurn() {
        try {
            try {
                workerDone.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                log.warn("{}: processData still running 5 s after close(); interrupting it", label);
                Thread t = turnThread;
                if (t != null) {
                    t.interrupt();
                }
                workerDone.get(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // as with a thread of its own: close() returns, the code still running is left to finish
        }
    }

    // ProcessorDriver's way in: the same calls, counters and rules as the mailman's path, without the connection.

    /** Marks this processor driven from elsewhere; false if it was started or driven already. */
    final boolean claimForDriver() {
        if (!started.compareAndSet(false, true)) {
            return false;
        }
        driven = true;
        return true;
    }

    /** onStart, as on the processor's thread. The driver calls these one at a time, under its lock. */
    final void driveStart() {
        call("onStart", null, -1, this::onStart);
    }

    /** onStop, as on the processor's thread. */
    final void driveStop() {
        call("onStop", null, -1, this::onStop);
    }

    /** A chunk as if the mailman sent it: never twice per stream and seq, counted, errors logged. */
    final void driveChunk(AudioChunk chunk, boolean redelivery) {
        handle(new Delivery(chunk, null, redelivery));
    }

    /** A gap as if the mailman announced it. */
    final void driveGap(Gap gap) {
        handle(gap);
    }

    /** Handles one item of the queue on the user code's thread: false for STOP. */
    private boolean handle(Object item) {
        if (item == STOP) {
            return false;
        }
        if (draining) {
            return true; // close() waits for acknowledgements: what comes now is left for the next processor under this name
        }
        if (item instanceof Gap announced) {
            Gap g = announced;
            Long before = done.get(g.stream());
            if (before != null && g.toSeq() <= before) {
                // Announced again after a reconnect that resumed before what was processed (deferred acknowledgements):
                // onGap ran for it already. Acknowledged again if it was, else its place in line does that.
                acknowledgeIfGiven(g.stream(), g.toSeq());
                return true;
            }
            if (before != null && g.fromSeq() <= before) {
                g = new Gap(g.stream(), before + 1, g.toSeq(), g.reason(), g.message()); // only the part not yet announced
            }
            Gap gap = g;
            gapChunks.addAndGet(gap.count());
            done.merge(gap.stream(), gap.toSeq(), Math::max);
            call("onGap", gap.stream(), gap.fromSeq(), () -> onGap(gap));
            complete(gap.stream(), gap.toSeq());
            return true;
        }
        Delivery d = (Delivery) item;
        Long last = done.get(d.stream());
        if (last != null && d.seq() <= last) {
            // Already processed before a reconnect: never twice. With deferred acknowledgements the HELLO resumed after
            // the last one acknowledged: one given since then must reach this connection too.
            acknowledgeIfGiven(d.stream(), d.seq());
            return true;
        }
        if (d.redelivery()) {
            redeliveries.incrementAndGet();
        }
        currentRedelivery = d.redelivery();
        if (d.chunk() != null) {
            lagWatch.observe(d.stream(), d.chunk().captureTimeNanos());
        }
        current = d;
        currentThread = Thread.currentThread();
        boolean ok;
        try {
            ok = d.chunk() != null
                    ? call("processData", d.stream(), d.seq(), () -> processData(d.chunk()))
                    : call("processRecord", d.stream(), d.seq(), () -> processRecord(d.record()));
        } finally {
            current = null;
            currentThread = null;
        }
        if (!ok) {
            errors.incrementAndGet();
        }
        processed.incrementAndGet();
        done.put(d.stream(), d.seq());
        if (currentDeferred == null) {
            complete(d.stream(), d.seq());
        }
        currentDeferred = null;
        return true;
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private interface UserCode {
        void run() throws Exception;
    }

    private boolean call(String what, String stream, long seq, UserCode code) {
        try {
            code.run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception | LinkageError | AssertionError e) {
            if (stream == null) {
                log.error("{}: {} threw; carrying on", label, what, e);
            } else {
                log.error("{}: {} threw on stream '{}' seq {}; carrying on with the next chunk", label, what, stream, seq, e);
            }
            return false;
        }
    }

    // Any thread (the user code's, or one giving a deferred acknowledgement): coalesced into one write per event-loop turn.
    private void acknowledge(String stream, long seq) {
        if (deferring) {
            acked.merge(stream, seq, Math::max); // only then does a HELLO resume from it (else from done, the same)
        }
        if (driven) {
            return; // the driver's caller commits where its source wants it (a Kafka offset)
        }
        pendingAcks.merge(stream, seq, Math::max);
        if (ackFlushScheduled.compareAndSet(false, true)) {
            try {
                connection.eventLoop().execute(flushAcksTask);
            } catch (RejectedExecutionException closing) {
                // close() shut the connection's loop down while processData ran: there is no one to tell;
                // the chunk stays unacknowledged, so a successor under this name gets it again, flagged.
            }
        }
    }

    // Runs on the event loop.
    private void flushAcks() {
        ackFlushScheduled.set(false);
        Channel ch = connection.channelIfWelcomed();
        if (ch == null) {
            pendingAcks.clear(); // the next HELLO carries our positions instead
            return;
        }
        for (String stream : pendingAcks.keySet()) {
            Long seq = pendingAcks.remove(stream);
            if (seq != null) {
                ch.write(new Ack(stream, seq), ch.voidPromise());
            }
        }
        ch.flush();
    }

    /** The connection's side of the processor. Runs on the event loop. */
    private final class Callbacks implements ClientConnection.Callbacks {
        @Override
        public Hello hello() {
            Map<String, Long> positions = new HashMap<>();
            if (deferring) {
                // Resume after what the mailman may count as done: the chunks still waiting for their acknowledgement
                // come again (and are skipped: they are on their way), so a crash before they are done loses nothing.
                done.forEach((stream, seq) -> positions.put(stream, resumeAfterAcknowledged(stream, seq)));
            } else {
                done.forEach((stream, seq) -> positions.put(stream, seq + 1));
            }
            // Version 2: this processor can take the RECORDs of result streams (processRecord).
            return new Hello(Role.PROCESSOR.code(), options.name(), instanceId, options.config().security().processorSecret(),
                    options.window(), options.start(), options.subscriptions(), positions, 2);
        }

        @Override
        public void onWelcome(Channel channel, Welcome welcome, boolean reconnect) {
            // nothing to do: the mailman starts sending at once
        }

        @Override
        public void onMessage(Channel channel, Message message) {
            Object item;
            if (message instanceof AudioFrame f) {
                try {
                    item = new Delivery(f.toChunk(), null, f.redelivery());
                } finally {
                    f.release();
                }
            } else if (message instanceof RecordFrame f) {
                try {
                    item = new Delivery(null, f.toRecord(), f.redelivery());
                } finally {
                    f.release();
                }
            } else if (message instanceof GapFrame g) {
                item = g.gap();
            } else {
                log.debug("{}: ignoring unexpected {} from the mailman", label, message.type());
                ReferenceCountUtil.release(message);
                return;
            }
            if (!queue.offer(item)) {
                log.error("{}: the mailman sent more than the window of {} chunks per stream; reconnecting", label, options.window());
                channel.close();
            } else if (shared != null) {
                scheduleTurn();
            }
        }

        @Override
        public void onDisconnected() {
            // Undelivered chunks are dropped: the next HELLO asks for everything after the last one processed.
            queue.removeIf(item -> item != STOP);
        }
    }
}
