package io.audiosockets.processor;

import io.audiosockets.client.ConnectionInfo;
import io.audiosockets.internal.client.ClientConnection;
import io.audiosockets.internal.client.Sender;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.protocol.ContentType;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Names;
import io.audiosockets.internal.protocol.RecordMessage;
import io.audiosockets.internal.protocol.ReplayAnswer;
import io.audiosockets.internal.protocol.ReplayRequest;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a processor's results as a stream of their own on the mailman (a result stream,
 * PROTOCOL.md §9), so that other processors subscribe to them by name as to audio, with the same
 * guarantees: in order, retained, resumable, exact gaps.
 *
 * <pre>{@code
 * ResultPublisher vad = new ResultPublisher("mic.vad", config).start();
 * ...
 * vad.publishJson(chunk.captureTimeNanos(), 0, "{\"event\":\"speech_start\"}");   // from processData
 * }</pre>
 *
 * <p>Each record is numbered in order (continuing the stream's numbering on the mailman) and kept
 * until the mailman acknowledges it: records published while the mailman is away are sent when it
 * comes back. The records not yet acknowledged are bounded by {@code RECORDER_BUFFER_BYTES}; past
 * that, {@code publish} waits for the mailman (it never drops a record), which holds back the
 * processor that publishes, as the mailman holds back a processor that reads too slowly.
 * Acknowledged records are not kept: a REPLAY (a restarted mailman asking again) is answered with
 * none, and readers that needed them get a NOT_AVAILABLE gap.
 *
 * <p>Thread-safe: any thread may publish. The connection's state lives on its event loop.
 */
public final class ResultPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);
    /** How long {@link #close()} waits for the records still unacknowledged. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);

    private final String stream;
    private final NetworkConfig config;
    private final String label;
    private final long maxUnackedBytes;
    private final ClientConnection connection;
    private final long instanceId = ThreadLocalRandom.current().nextLong();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Sends the records on the connection's event loop. */
    private final Sender sender;
    /** Sent and not yet acknowledged, in order. Guarded by this, as everything below. */
    private final ArrayDeque<ResultRecord> inFlight = new ArrayDeque<>();
    /** Published and not sent yet, in order, after those in flight. */
    private final ArrayDeque<ResultRecord> pending = new ArrayDeque<>();
    private long unackedBytes;
    private long nextLocal;
    private long acknowledgedCount;
    private boolean closed;
    // Event-loop confined:
    private long seqBase = -1;

    /**
     * A publisher of result stream {@code stream} (a name of its own, such as {@code mic.vad}),
     * reaching the mailman as {@code config} says; nothing happens until {@link #start()}.
     *
     * @throws IllegalArgumentException if {@code stream} breaks the name rule
     */
    public ResultPublisher(String stream, NetworkConfig config) {
        this.stream = Names.check(stream, "result stream name");
        this.config = Objects.requireNonNull(config, "config == null");
        this.label = "publisher of stream '" + stream + "'";
        this.maxUnackedBytes = config.recorderBufferBytes();
        this.connection = new ClientConnection(label, config, null, new Callbacks(), null);
        this.sender = new Sender(connection, this::sendNext);
        // A refusal for good must wake a publish() waiting for room that will never come.
        connection.terminated().whenComplete((v, e) -> {
            synchronized (this) {
                notifyAll();
            }
        });
    }

    /** Connects in the background, and reconnects whenever the mailman is away; returns at once. */
    public ResultPublisher start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(label + " already started");
        }
        connection.start();
        return this;
    }

    /** The stream's name. */
    public String stream() {
        return stream;
    }

    /** Completes with the first WELCOME from the mailman. */
    public CompletableFuture<ConnectionInfo> connected() {
        return connection.firstWelcome();
    }

    /** Completes when the publisher has stopped: after {@link #close()}, or exceptionally if the mailman refused it for good. */
    public CompletableFuture<Void> terminated() {
        return connection.terminated();
    }

    /**
     * Publishes a JSON record (an event): {@code json} as UTF-8.
     *
     * @see #publish(long, long, ContentType, byte[])
     */
    public void publishJson(long timeNanos, long durationNanos, String json) throws InterruptedException {
        publish(ResultRecord.json(stream, 0, timeNanos, durationNanos, json));
    }

    /**
     * Publishes a FLOAT32 record: {@code values} (probabilities, an embedding).
     *
     * @see #publish(long, long, ContentType, byte[])
     */
    public void publishFloats(long timeNanos, long durationNanos, float... values) throws InterruptedException {
        publish(ResultRecord.floats(stream, 0, timeNanos, durationNanos, values));
    }

    /**
     * Publishes one record, numbered after the last one.
     *
     * @param timeNanos when the audio it is about begins (the capture time of its first sample,
     *     as in {@link io.audiosockets.audio.AudioChunk#captureTimeNanos()})
     * @param durationNanos how much audio it is about; 0 for an instant
     * @throws InterruptedException if interrupted while the mailman is away with the buffer full
     * @throws IllegalStateException if the publisher was closed, or the mailman refused it for good (the
     *     message says why: a stream of audio under that name, a wrong token, a mailman of protocol version 1)
     * @throws IllegalArgumentException if the record would make a frame larger than MAX_FRAME_BYTES
     */
    public void publish(long timeNanos, long durationNanos, ContentType type, byte[] data) throws InterruptedException {
        publish(new ResultRecord(stream, 0, timeNanos, durationNanos, type, data));
    }

    private void publish(ResultRecord r) throws InterruptedException {
        long frameBytes = FrameCodec.HEADER_BYTES + 30L + 3L * stream.length() + r.data().length;
        if (frameBytes > config.maxFrameBytes()) {
            throw new IllegalArgumentException(label + ": a record of " + r.data().length + " bytes makes a frame larger than "
                    + "MAX_FRAME_BYTES (" + config.maxFrameBytes() + "): publish smaller records, or raise MAX_FRAME_BYTES on both sides");
        }
        synchronized (this) {
            // The bound holds unless a single record is larger than it: that one still goes, alone.
            while (!closed && !connection.terminated().isDone() && unacknowledged() > 0
                    && unackedBytes + r.data().length > maxUnackedBytes) {
                wait();
            }
            if (closed) {
                throw new IllegalStateException(label + " is closed");
            }
            if (connection.terminated().isCompletedExceptionally()) {
                Throwable why = connection.terminated().handle((v, e) -> e).join();
                throw new IllegalStateException(label + " was refused for good by the mailman, nothing more is published: "
                        + (why.getCause() != null ? why.getCause() : why).getMessage(), why);
            }
            pending.addLast(r.withSeq(nextLocal++));
            unackedBytes += r.data().length;
        }
        sender.wake();
    }

    /** Records published so far. */
    public synchronized long published() {
        return nextLocal;
    }

    /** Records the mailman has acknowledged. */
    public synchronized long acknowledged() {
        return acknowledgedCount;
    }

    /** Records published and not acknowledged yet (after {@link #close()}: the ones the mailman never got). */
    public synchronized int unacknowledged() {
        return inFlight.size() + pending.size();
    }

    // On the event loop, for the sender: the next record the window allows.
    private boolean sendNext(Channel ch) {
        if (seqBase < 0) {
            return false;
        }
        ResultRecord next;
        synchronized (this) {
            if (inFlight.size() >= config.recorderWindow() || pending.isEmpty()) {
                return false;
            }
            next = pending.pollFirst();
            inFlight.addLast(next);
        }
        ch.write(new RecordMessage(next.withSeq(seqBase + next.seq())), ch.voidPromise());
        return true;
    }

    // On the event loop: everything up to local seq is held by the mailman.
    private void acknowledge(long localSeq) {
        synchronized (this) {
            for (ArrayDeque<ResultRecord> q : List.of(inFlight, pending)) {
                while (!q.isEmpty() && q.peekFirst().seq() <= localSeq) {
                    unackedBytes -= q.pollFirst().data().length;
                    acknowledgedCount++;
                }
            }
            notifyAll();
        }
        sender.sendNow();
    }

    // What was in flight goes back in front of what waits, to be sent first on the next connection.
    private synchronized void rewind() {
        while (!inFlight.isEmpty()) {
            pending.addFirst(inFlight.pollLast());
        }
    }

    /**
     * Stops publishing: waits up to {@link #DRAIN_TIMEOUT} for the mailman to acknowledge what is
     * left, says goodbye and closes the connection; what is still unacknowledged is logged.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        synchronized (this) {
            // Also while still connecting: records published just after start() go out with the first WELCOME.
            while (unacknowledged() > 0 && !connection.terminated().isDone() && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (unacknowledged() > 0 && started.get()) {
                log.warn("{}: closing with {} record(s) the mailman never acknowledged", label, unacknowledged());
            }
        }
        connection.close();
    }

    /** The connection's side of the publisher. Runs on the event loop. */
    private final class Callbacks implements ClientConnection.Callbacks {
        @Override
        public Hello hello() {
            // A publisher puts data into the mailman: it holds the recorders' token (PROTOCOL.md §9.2). Version 3: its
            // ACKs may be held back to cover more records (§5.2); it needs at least version 2.
            return new Hello(Role.PUBLISHER.code(), stream, instanceId, config.security().recorderSecret(), config.recorderWindow(),
                    StartPosition.RESUME, List.of(), Map.of(), 3);
        }

        @Override
        public void onWelcome(Channel channel, Welcome welcome, boolean reconnect) {
            if (seqBase < 0) {
                seqBase = welcome.lastSeq() + 1; // continue the stream's numbering, as a recorder does
            }
            rewind(); // what was in flight is sent again; the mailman drops what it already holds
            acknowledge(welcome.lastSeq() - seqBase);
        }

        @Override
        public void onMessage(Channel channel, Message message) {
            if (message instanceof Ack a) {
                acknowledge(a.seq() - seqBase);
            } else if (message instanceof ReplayRequest r) {
                // Acknowledged records are not kept: none to send again (PROTOCOL.md §5.12, §9).
                channel.writeAndFlush(new ReplayAnswer(stream, r.toSeq() + 1, 0));
                log.warn("{}: the mailman asked again for records {}..{} (it restarted?); this publisher keeps no acknowledged "
                        + "records, so readers get a gap for them", label, r.fromSeq(), r.toSeq());
            } else {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void onDisconnected() {
            rewind();
        }

        @Override
        public boolean worksWithVersion1() {
            return false; // a result stream needs version 2: a mailman of version 1 is a refusal for good
        }

        @Override
        public void onWritable(Channel channel) {
            sender.sendNow();
        }
    }
}
