package io.audiosockets.recorder;

import io.audiosockets.client.ConnectionInfo;
import io.audiosockets.internal.audio.ChunkBytes;
import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.AudioSource;
import io.audiosockets.audio.SourceChunks;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.internal.client.ClientConnection;
import io.audiosockets.internal.client.SharedEventLoops;
import io.audiosockets.internal.client.CloseOnShutdown;
import io.audiosockets.internal.client.Sender;
import io.audiosockets.internal.config.ConfigLoader;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.logging.LoggingSetup;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.ReplayAnswer;
import io.audiosockets.internal.protocol.ReplayRequest;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures audio from an {@link AudioSource} and streams it, chunk by chunk, to the mailman (the
 * paper's {@code RecorderSocket}).
 *
 * <pre>{@code
 * Recorder recorder = new Recorder(SyntheticSource.sine(440), RecorderOptions.builder()
 *         .config(ConfigLoader.load(Path.of("server_info.json"))).stream("mic").build());
 * recorder.start();    // blocks until the source ends or close() is called
 * }</pre>
 *
 * <h3>Threads</h3>
 * A capture thread of its own reads the source and hands each chunk to a bounded buffer; it
 * never waits for the network. The connection's event loop sends from the buffer, up to
 * {@code ACK_WINDOW} chunks unacknowledged (1 is the paper's stop-and-wait).
 *
 * <h3>Failures: the recorder holds the truth</h3>
 * The recorder keeps the most recent audio of its stream, acknowledged or not, up to
 * {@code RECORDER_BUFFER_SECONDS} and {@code RECORDER_BUFFER_BYTES}. It connects, and reconnects
 * every {@code RECONNECT_SECONDS}, until the mailman is there; meanwhile chunks wait in the
 * buffer and are resent in order after a reconnect (the mailman drops those it already had).
 * A mailman that restarted holds nothing: when a processor resumes at a position it lacks, it
 * asks for the range ({@code REPLAY}) and the recorder sends again what it still holds.
 * Beyond the buffer's bounds the oldest chunks go: acknowledged ones first (that only shortens
 * what can be replayed), then unacknowledged ones, which are counted ({@link #chunksDropped()}),
 * logged, and seen by processors as a gap of exactly that range: never a silent loss.
 *
 * <h3>Sequence numbers and times</h3>
 * A chunk's capture time is that of its first sample, counted in samples: the wall-clock time
 * when capture started plus the frames of the source's timeline before it (frames read and frames
 * lost) divided by the sample rate, so consecutive chunks differ by exactly their duration, and by
 * exactly their duration plus the lost audio across a loss. For a live source
 * ({@link AudioSource#isLive()}, a sound card with a crystal of its own) a bounded drift correction
 * keeps that count near the wall clock: it moves by at most 0.05 % of the audio time, so
 * consecutive chunks then differ by their duration within 0.05 % (see {@code CaptureClock}).
 * Sequence numbers continue where the mailman's record of the stream ends, so a restarted
 * recorder extends its stream instead of colliding with its past.
 *
 * <h3>Audio the source lost</h3>
 * When a source reports lost frames ({@link AudioSource#framesLost()} grew by L during a read,
 * e.g. a microphone's buffer overran), the recorder sends the chunk in progress as it is (shorter
 * than a period: it ends where the hole begins), skips ceil(L / period frames) sequence numbers
 * (at least one, so any loss, however short, is a gap), and starts the next chunk with the frames
 * after the hole, stamped L frames later. The mailman turns the skipped sequence numbers into one
 * {@code GAP} with reason {@code SOURCE_SKIPPED}; the exact length of the hole is the difference
 * between the capture times around it. Each loss is logged at WARN and counted in {@link #framesLost()}.
 */
public final class Recorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    /** How long {@link #close()} waits for the chunks still unacknowledged. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);
    /** How often a recorder held back by an absent mailman says it is still waiting. */
    static final Duration WAIT_REPORT_INTERVAL = Duration.ofSeconds(30);

    private final AudioSource source;
    private final RecorderOptions options;
    private final String label;
    /** Chunks it keeps in flight at most, and announces in HELLO: ACK_WINDOW, or what its buffer holds if less. */
    private final int window;
    private final RecorderBuffer buffer;
    private final ClientConnection connection;
    /** Sends the buffer's chunks on the connection's event loop. */
    private final Sender sender;
    private final long instanceId = ThreadLocalRandom.current().nextLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeDone = new CompletableFuture<>();
    private final CompletableFuture<Void> captureEnded = new CompletableFuture<>();
    /** Completed by the event loop when, after stopping and the capture's last chunk, every chunk is acknowledged. */
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    /**
     * Set by {@link #close()} once the capture thread can offer no more chunks. Until then an ACK that empties the
     * buffer does not complete {@link #drained}: the chunk in progress may still come (with ACKs held back by a
     * version-3 mailman, one did, and was reported as never acknowledged).
     */
    private volatile boolean captureDone;
    /** Completed on the loop when the source has ended and every chunk is acknowledged. */
    private final CompletableFuture<Void> allAcknowledged = new CompletableFuture<>();
    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong framesLost = new AtomicLong();
    private volatile boolean stopping;
    /** Set by startAsync, read by close() on another thread. */
    private volatile Thread captureThread;
    // Event-loop confined:
    private long seqBase = -1;
    /** Whether this connection has sent its first chunk (and, before it, the GAP for chunks never sent). */
    private boolean firstChunkSent;

    /**
     * A recorder of {@code source}; nothing happens until {@link #start()} or {@link #startAsync()}.
     *
     * @throws IllegalArgumentException if a chunk of {@code options.period()} would exceed MAX_FRAME_BYTES
     */
    public Recorder(AudioSource source, RecorderOptions options) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.options = Objects.requireNonNull(options, "options == null");
        StreamFormat f = source.format();
        long chunkBytes = (long) f.framesIn(options.period().toNanos() / 1e9) * f.frameBytes();
        if (chunkBytes + 256 > options.config().maxFrameBytes()) {
            throw new IllegalArgumentException("a chunk of " + options.period().toMillis() / 1000.0 + " s of " + f + " is "
                    + chunkBytes + " bytes, more than MAX_FRAME_BYTES (" + options.config().maxFrameBytes()
                    + "): use a shorter --period or raise MAX_FRAME_BYTES on both sides");
        }
        this.label = "recorder of stream '" + options.stream() + "'";
        long bufferNanos = Math.max(options.config().recorderBuffer().toNanos(), options.period().toNanos());
        // The window it announces and keeps: ACK_WINDOW, or fewer if fewer chunks fit its buffer. A mailman may hold
        // back the ACKs of a version-3 recorder until half the announced window is unacknowledged (PROTOCOL.md §5.2);
        // announcing more than the buffer holds would let a live source overflow it with chunks the mailman holds.
        long fits = Math.min(bufferNanos / options.period().toNanos(), options.config().recorderBufferBytes() / Math.max(1, chunkBytes));
        this.window = (int) Math.max(1, Math.min(options.config().recorderWindow(), fits));
        this.buffer = new RecorderBuffer(bufferNanos,
                options.config().recorderBufferBytes(),
                options.replayBudget() != null ? options.replayBudget() : ReplayBudget.unlimited());
        this.connection = new ClientConnection(label, options.config(), SharedEventLoops.groupOf(options.ioThreads()), new Callbacks(), options.listener());
        this.sender = new Sender(connection, this::sendNext);
    }

    /**
     * A recorder configured by a JSON file, as the paper's {@code RecorderSocket("server_info.json")},
     * streaming {@code source} as stream {@value RecorderOptions#DEFAULT_STREAM} in 0.5 s chunks.
     */
    public static Recorder fromFile(Path configFile, AudioSource source) {
        NetworkConfig config = ConfigLoader.load(configFile);
        LoggingSetup.applyIfDefault(config);
        return new Recorder(source, RecorderOptions.builder().config(config).build());
    }

    /**
     * Starts capturing and connecting in the background; returns at once.
     *
     * @throws IllegalStateException if already started
     */
    public Recorder startAsync() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(label + " already started");
        }
        log.info("{}: capturing {} in chunks of {} s", label, source.describe(), options.period().toMillis() / 1000.0);
        connection.start();
        captureThread = new Thread(this::captureLoop, "capture-" + options.stream());
        captureThread.start();
        return this;
    }

    /**
     * Captures and streams until the source ends (then waits for the last chunks to be
     * acknowledged, see {@link #awaitDelivery()}, and says goodbye) or until {@link #close()}.
     * Unless {@link RecorderOptions#shutdownHook()} is off, Ctrl-C or SIGTERM closes the recorder
     * meanwhile, as {@link #close()} does, before the JVM exits.
     *
     * @throws io.audiosockets.client.MailmanException if the mailman refuses this recorder for good
     *     (wrapped in a {@link CompletionException})
     * @throws UncheckedIOException if the source failed (a device unplugged, an unreadable file):
     *     the chunks captured before the failure were sent and the recorder is closed
     */
    public void start() {
        CloseOnShutdown hook = options.shutdownHook() ? CloseOnShutdown.install(label, this) : null;
        try {
            startAsync();
            try {
                CompletableFuture.anyOf(captureEnded, connection.terminated()).join();
            } catch (CompletionException e) {
                // thrown below, once the recorder is closed
            }
            if (captureEnded.isDone() && !captureEnded.isCompletedExceptionally() && !stopping) {
                awaitDelivery();
            }
            close();
        } finally {
            if (hook != null) {
                hook.close();
            }
        }
        if (captureEnded.isCompletedExceptionally()) {
            Throwable cause = captureEnded.handle((v, e) -> e).join();
            throw cause instanceof IOException io ? new UncheckedIOException(io.getMessage(), io)
                    : cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
        if (connection.terminated().isCompletedExceptionally()) {
            connection.terminated().join();
        }
    }

    /**
     * After the source ended by itself: waits for the mailman to acknowledge every chunk,
     * connecting first if it is not there yet. A source that can wait (a file, a pipe) loses
     * nothing however late the mailman comes, so the recorder waits as long as it takes (saying
     * so every {@link #WAIT_REPORT_INTERVAL}) until {@link #close()}; a live source, which could
     * not wait either, gives it RECORDER_BUFFER_SECONDS, the time its buffer is sized to bridge.
     */
    private void awaitDelivery() {
        if (buffer.unacknowledged() == 0) {
            return;
        }
        Duration max = source.isLive() ? options.config().recorderBuffer() : null;
        log.info("{}: source ended; waiting {} for the mailman to acknowledge the last {} chunk(s)", label,
                max == null ? "until it does (Ctrl-C to give up)" : "up to " + max.toMillis() / 1000.0 + " s",
                buffer.unacknowledged());
        long waited = 0;
        while (true) {
            long step = max == null ? WAIT_REPORT_INTERVAL.toMillis() : max.toMillis();
            try {
                CompletableFuture.anyOf(allAcknowledged, connection.terminated()).get(step, TimeUnit.MILLISECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                return; // refused for good: reported by start()
            } catch (TimeoutException e) {
                if (max != null || stopping) {
                    return; // what is left is reported by close()
                }
                waited += step;
                log.warn("{}: still waiting, after {} s, for the mailman at {}:{} to acknowledge {} chunk(s); nothing is "
                        + "dropped meanwhile", label, waited / 1000, options.config().host(), options.config().port(),
                        buffer.unacknowledged());
            }
        }
    }

    /** Completes when the capture thread has ended (the source ended, failed, or close() was called). */
    public CompletableFuture<Void> captureEnded() {
        return captureEnded;
    }

    /** Completes with the first WELCOME from the mailman. */
    public CompletableFuture<ConnectionInfo> connected() {
        return connection.firstWelcome();
    }

    /** Chunks captured so far. */
    public long chunksCaptured() {
        return captured.get();
    }

    /** Chunks written to the mailman, resends included. */
    public long chunksSent() {
        return sent.get();
    }

    /** Chunks the mailman has acknowledged. */
    public long chunksAcknowledged() {
        return acknowledged.get();
    }

    /** Chunks captured but not (yet) acknowledged by the mailman: after {@link #close()}, the ones lost. */
    public long chunksUnacknowledged() {
        return buffer.unacknowledged();
    }

    /**
     * Unacknowledged chunks dropped because the buffer was full (the mailman away for longer than
     * RECORDER_BUFFER_SECONDS or RECORDER_BUFFER_BYTES allow): lost, and reported downstream as a gap.
     */
    public long chunksDropped() {
        return buffer.dropped();
    }

    /**
     * Frames the source reported lost (a capture device's buffer overrun, see
     * {@link AudioSource#framesLost()}), each loss sent on as a gap.
     */
    public long framesLost() {
        return framesLost.get();
    }

    /** The recorder's options. */
    public RecorderOptions options() {
        return options;
    }

    // Runs on the capture thread: read, stamp, hand over. Never touches the network.
    private void captureLoop() {
        StreamFormat f = source.format();
        int periodFrames = f.framesIn(options.period().toNanos() / 1e9);
        long startNanoTime = System.nanoTime();
        long startEpochNanos = epochNanos(Instant.now());
        CaptureClock clock = new CaptureClock(f.sampleRate(), startEpochNanos, source.isLive());
        IOException failure = null;
        try {
            new SourceChunks(source, periodFrames).run(() -> stopping, new SourceChunks.Sink() {
                @Override
                public void chunk(long index, long framesBefore, byte[] data) {
                    emit(index, clock, framesBefore, f, data, startNanoTime);
                }

                @Override
                public void lost(long afterIndex, long frames, long skipped) {
                    log.warn("{}: the source lost {} frames ({} s) of audio after chunk {}; processors will see a gap of {} "
                                    + "chunk(s), and the next chunk's time is later by exactly the lost audio", label, frames,
                            frames / (double) f.sampleRate(), afterIndex, skipped);
                    framesLost.addAndGet(frames);
                }
            });
        } catch (IOException e) {
            failure = stopping ? null : e;
        } catch (RuntimeException e) {
            log.error("{}: capture failed", label, e);
            captureEnded.completeExceptionally(e);
            return;
        }
        if (failure != null) {
            log.error("{}: capture failed after {} chunks: {}", label, captured.get(), failure.getMessage());
            captureEnded.completeExceptionally(failure);
            return;
        }
        log.info("{}: capture ended after {} chunks ({})", label, captured.get(), stopping ? "stopped" : "end of source");
        captureEnded.complete(null);
    }

    private void emit(long localSeq, CaptureClock clock, long framesBefore, StreamFormat f, byte[] data, long startNanoTime) {
        long time = clock.timeOf(framesBefore);
        int frames = data.length / f.frameBytes();
        // The wall clock now, on the monotonic clock (never stepped), anchored where capture started.
        clock.observe(framesBefore + frames, frames, clock.anchorNanos() + System.nanoTime() - startNanoTime);
        AudioChunk chunk = ChunkBytes.wrap(options.stream(), localSeq, time, f.sampleRate(), f.channels(), f.sampleFormat(), data);
        captured.incrementAndGet();
        if (!source.isLive()) {
            // A file or a pipe can wait: hold it back rather than drop anything (the buffer waits for room).
            try {
                if (!buffer.hasRoomFor(chunk)) {
                    log.info("{}: buffer full (RECORDER_BUFFER_SECONDS = {}, RECORDER_BUFFER_BYTES = {}) with chunks the "
                            + "mailman has not acknowledged: holding the source back until it does; nothing is dropped",
                            label, options.config().recorderBuffer().toMillis() / 1000.0, options.config().recorderBufferBytes());
                    long waited = buffer.put(chunk);
                    log.info("{}: the mailman caught up after {} s; reading the source again", label,
                            Math.round(waited / 1e6) / 1000.0);
                } else {
                    buffer.put(chunk);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(label + ": capture interrupted while waiting for the mailman", e);
            }
            sender.wake();
            return;
        }
        int dropped = buffer.offer(chunk);
        if (dropped > 0) {
            log.warn("{}: buffer full (RECORDER_BUFFER_SECONDS = {}, RECORDER_BUFFER_BYTES = {}) while the mailman is away: "
                    + "dropped the {} oldest unacknowledged chunk(s), {} so far; processors will see a gap", label,
                    options.config().recorderBuffer().toMillis() / 1000.0, options.config().recorderBufferBytes(), dropped,
                    buffer.dropped());
        }
        sender.wake();
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    // Runs on the event loop, for the sender: the next chunk the window allows.
    private boolean sendNext(Channel ch) {
        if (seqBase < 0) {
            return false;
        }
        AudioChunk c = buffer.nextToSend(window);
        if (c == null) {
            return false;
        }
        if (!firstChunkSent) {
            firstChunkSent = true;
            reportNeverSent(ch, c);
        }
        ch.write(new AudioMessage(c.withSeq(seqBase + c.seq())), ch.voidPromise());
        sent.incrementAndGet();
        return true;
    }

    /**
     * Before the first chunk of a connection: if no chunk of this recorder was ever acknowledged and
     * this one is not its first, the ones before it were dropped before any mailman held them (a live
     * source whose buffer filled while no mailman was there). A mailman that holds nothing of the
     * stream would take this chunk for its beginning; a GAP before it (PROTOCOL.md §4.6, version 2)
     * says exactly what will never come. Sent on every connection until a chunk is acknowledged, so
     * a connection lost right after it does not lose it; a mailman that already holds chunks of the
     * stream ignores it. A mailman of version 1 does not know it: the recorder then says so in its log.
     */
    private void reportNeverSent(Channel ch, AudioChunk first) {
        if (first.seq() == 0 || acknowledged.get() > 0) {
            return;
        }
        long from = seqBase;
        long to = seqBase + first.seq() - 1;
        if (connection.protocolVersion() < 2) {
            log.warn("{}: chunks {}..{} were dropped before a mailman was reached; this mailman speaks protocol version 1, which "
                    + "cannot be told, so processors will take chunk {} for the stream's beginning", label, from, to, to + 1);
            return;
        }
        ch.write(new GapFrame(new Gap(options.stream(), from, to, GapReason.SOURCE_SKIPPED, "the recorder's buffer was full before the mailman "
                + "was reached; it dropped the oldest " + first.seq() + " chunk(s)")), ch.voidPromise());
        log.warn("{}: told the mailman that chunks {}..{}, dropped before it was reached, will never come; processors see a gap for "
                + "them", label, from, to);
    }

    /**
     * Stops capturing (the chunk in progress is sent), waits up to {@link #DRAIN_TIMEOUT} for the
     * mailman to acknowledge what is left, then says goodbye (BYE) and releases the source and the
     * connection. What is still unacknowledged then is reported in the log. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            // A second caller (start() after the shutdown hook, say) returns once the first has finished.
            try {
                closeDone.get(DRAIN_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the first caller reports what it could not do
            }
            return;
        }
        try {
            closeOnce();
        } finally {
            closeDone.complete(null);
        }
    }

    private void closeOnce() {
        stopping = true;
        buffer.close(); // a capture thread held back by the mailman goes on, to see that it must stop
        try {
            source.close();
        } catch (IOException e) {
            log.warn("{}: closing the source failed: {}", label, e.getMessage());
        }
        if (captureThread != null && captureThread != Thread.currentThread()) {
            try {
                captureThread.join(DRAIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        captureDone = true;
        if (buffer.unacknowledged() > 0 && connection.isConnected()) {
            sender.wake();
            try {
                drained.get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // reported below with the count of what is left
            }
        }
        if (buffer.unacknowledged() > 0 && started.get()) {
            log.warn("{}: closing with {} chunk(s) the mailman never acknowledged", label, buffer.unacknowledged());
        }
        connection.close();
    }

    /** The connection's side of the recorder. Runs on the event loop. */
    private final class Callbacks implements ClientConnection.Callbacks {
        @Override
        public Hello hello() {
            // Version 2: it may tell the mailman of chunks dropped before its first one (PROTOCOL.md §4.6);
            // version 3: its ACKs may be held back to cover more chunks (§5.2), fewer frames both ways.
            return new Hello(Role.RECORDER.code(), options.stream(), instanceId, options.config().security().recorderSecret(),
                    window, StartPosition.RESUME, List.of(), Map.of(), 3);
        }

        @Override
        public void onWelcome(Channel channel, Welcome welcome, boolean reconnect) {
            firstChunkSent = false;
            if (seqBase < 0) {
                seqBase = welcome.lastSeq() + 1;
                if (seqBase > 0) {
                    log.info("{}: the mailman holds this stream up to seq {}; continuing from {}", label, welcome.lastSeq(), seqBase);
                }
            } else {
                buffer.rewind();
                int known = buffer.acknowledge(welcome.lastSeq() - seqBase);
                acknowledged.addAndGet(known);
                if (buffer.unacknowledged() > 0) {
                    log.info("{}: resending {} unacknowledged chunk(s)", label, buffer.unacknowledged());
                }
            }
            sender.sendNow();
        }

        @Override
        public void onMessage(Channel channel, Message message) {
            if (message instanceof Ack a) {
                acknowledged.addAndGet(buffer.acknowledge(a.seq() - seqBase));
                if (options.listener() != null) {
                    options.listener().onAcknowledged(a.seq());
                }
                if (buffer.unacknowledged() == 0) {
                    if (captureDone) {
                        drained.complete(null);
                    }
                    if (captureEnded.isDone()) {
                        allAcknowledged.complete(null);
                    }
                }
                sender.sendNow();
            } else if (message instanceof ReplayRequest r) {
                replay(channel, r);
            } else {
                log.debug("{}: ignoring unexpected {} from the mailman", label, message.type());
                ReferenceCountUtil.release(message);
            }
        }

        /**
         * Sends again what the mailman asks for (it lost it, having restarted): the answer, then
         * the chunks, in one go so that no new chunk comes between them.
         */
        private void replay(Channel channel, ReplayRequest r) {
            if (!r.stream().equals(options.stream()) || seqBase < 0) {
                log.warn("{}: the mailman asked to replay stream '{}'; ignored", label, r.stream());
                return;
            }
            List<AudioChunk> chunks = buffer.replay(r.fromSeq() - seqBase, r.toSeq() - seqBase);
            long from = chunks.isEmpty() ? r.toSeq() + 1 : seqBase + chunks.get(0).seq();
            channel.write(new ReplayAnswer(options.stream(), from, chunks.size()), channel.voidPromise());
            for (AudioChunk c : chunks) {
                channel.write(new AudioMessage(c.withSeq(seqBase + c.seq())), channel.voidPromise());
            }
            channel.flush();
            if (from > r.fromSeq()) {
                log.warn("{}: the mailman asked again for chunks {}..{} (it lost them, probably in a restart); {} of them are "
                                + "no longer in this recorder's buffer (RECORDER_BUFFER_SECONDS/BYTES): processors will see a gap",
                        label, r.fromSeq(), r.toSeq(), Math.min(from, r.toSeq() + 1) - r.fromSeq());
            }
            if (!chunks.isEmpty()) {
                log.info("{}: replayed {} chunk(s), {}..{}, that the mailman lost", label, chunks.size(), from,
                        seqBase + chunks.get(chunks.size() - 1).seq());
            }
        }

        @Override
        public void onDisconnected() {
            buffer.rewind();
        }

        @Override
        public void onWritable(Channel channel) {
            sender.sendNow();
        }
    }
}
