package io.audiosockets.kafka;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.kafka.ChunkRecords;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.PendingAck;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge into Kafka: a processor of the mailman that writes every chunk of the streams it
 * subscribes to (or of all) to one Kafka topic, one record per chunk as {@code ChunkRecords}
 * lays it out (key = the stream's name, so a stream stays in one partition, in order; value = its
 * AUDIO frame of PROTOCOL.md; headers {@code audiosockets.stream}, {@code audiosockets.seq},
 * {@code audiosockets.capture_ns}), through an idempotent producer (enable.idempotence=true,
 * acks=all).
 *
 * <h3>Why a processor</h3>
 * The bridge is one more reader of the mailman, under its own name, with its own cursor: the
 * mailman sends it at most its window (PROCESSOR_WINDOW) of chunks per stream ahead of its
 * acknowledgements, exactly as for any processor. So when Kafka is slow or down, only the bridge
 * waits: the mailman's other processors go on at their own pace, and the recorders are
 * acknowledged as before. Built into the mailman's own loop instead, a stalled Kafka would have to
 * be buffered or would hold up the streams; as a processor it costs a network hop and inherits,
 * for free, the resume after a reconnect, the exact GAPs and the named cursor.
 *
 * <h3>Acknowledged means in Kafka</h3>
 * {@link #processData} hands the chunk's record to the producer and returns; the chunk is
 * acknowledged to the mailman ({@link #acknowledgeLater()}) only once Kafka has acknowledged the
 * record (acks=all) and every earlier chunk of its stream: a chunk the mailman counts as done by
 * the bridge is in Kafka. Records are pipelined: up to the window of chunks per stream are on their
 * way at once, and the producer batches what is on its way, so the bridge's throughput is not one
 * Kafka round trip per chunk. While Kafka does not acknowledge (down, unreachable, no such topic
 * and no auto-creation), the producer keeps retrying in order without end (delivery.timeout.ms
 * is unbounded, so a record's expiry can never let a later one of its stream overtake it), and the
 * bridge logs a warning at most every {@value #WARN_EVERY_SECONDS} s naming the topic, the stream,
 * the sequence number and what to do. A send the producer gives up on (no metadata within
 * max.block.ms, an error Kafka does not retry) is sent again by the bridge after
 * {@code 500 ms}, together with every later chunk of its stream, in order; nothing of the stream
 * is acknowledged meanwhile. The chunks held back are bounded by the bridge's window per stream
 * (what the mailman has in flight to it) and by what the mailman retains (RETENTION_SECONDS): what
 * falls out of the retention before the bridge gets to it arrives as an exact GAP, for which
 * nothing is written to Kafka; the bridge logs each one and counts it ({@link #gaps()},
 * {@link #gapChunks()}).
 *
 * <h3>Duplicates</h3>
 * The idempotent producer removes its own retries' duplicates, but only within one producer
 * session. A chunk the mailman redelivers (a bridge that crashed or stopped after Kafka took the
 * record but before the mailman had the acknowledgement; {@link #isRedelivery()}) is written
 * again, as are the later chunks of a stream whose send the bridge repeated (Kafka may have taken
 * them already): after a failure a chunk may be twice in the topic, flagged nowhere in Kafka. The
 * {@code audiosockets.seq} header (and the seq in the value) lets a consumer drop them: per
 * stream, keep only a seq greater than the last one seen. Without failures no chunk is written
 * twice. One case breaks the topic's order: Kafka refuses a record for good (too large, a
 * timestamp or a permission it refuses) while it takes the next one of the same stream; the
 * earlier then lands after the later one when it is finally taken, and a consumer that keeps only
 * increasing seqs (as {@code KafkaProcessorRunner} does) reports it as a gap. Until the cause is
 * fixed nothing of that stream is acknowledged to the mailman, so the mailman still holds it.
 *
 * <h3>Stopping</h3>
 * {@link #close()} stops taking chunks and waits up to 5 s for the records on their way, so that
 * the mailman has their acknowledgements before the goodbye; what Kafka has not acknowledged by
 * then (Kafka down) is not acknowledged to the mailman, which gives it to the next bridge under
 * this name that starts with RESUME (the default; OLDEST, LIVE or SECONDS_BACK drop the name's
 * position), flagged as redeliveries, as long as it retains them.
 *
 * <h3>Threads</h3>
 * {@code processData} runs on the processor's thread; the producer's callbacks on its I/O thread;
 * the repeated sends and the outage warnings on the bridge's {@code kafka-bridge-retry} thread.
 * Per stream, an {@code Outbox} holds the records between the bridge and Kafka, guarded by its own
 * monitor; its send lock orders the sends of the processor's thread and the retry thread.
 */
public final class KafkaBridge extends BaseProcessor {
    /** The topic when none is named. */
    public static final String DEFAULT_TOPIC = "audiosockets";
    /** At most one warning per this many seconds while Kafka does not acknowledge. */
    public static final int WARN_EVERY_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(KafkaBridge.class);
    /** How long a record may wait for Kafka's acknowledgement before the bridge says (rate-limited) that it is still waiting. */
    private static final Duration WAIT = Duration.ofSeconds(2);
    /** The pause before a stream's records are sent again after the producer gave up on one. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final String bootstrap;
    private final String topic;
    private final String label;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Per stream, the records between the bridge and Kafka. Created on the processor's thread. */
    private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
    /** Repeats the sends the producer gave up on and watches for records Kafka is slow to take. */
    private final ScheduledExecutorService retry;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    /** Guarded by itself: when the last warning was logged (System.nanoTime), whether one was since Kafka last acknowledged, how many were held back. */
    private final Object warnings = new Object();
    private long lastWarnNanos;
    private boolean warnedOnce;
    private long warningsHeldBack;

    /** One record on its way to Kafka; {@code written} guarded by its outbox. */
    private static final class Send {
        final ProducerRecord<byte[], byte[]> record;
        final PendingAck ack;
        final long since = System.nanoTime();
        boolean written;

        Send(ProducerRecord<byte[], byte[]> record, PendingAck ack) {
            this.record = record;
            this.ack = ack;
        }
    }

    /** One stream's records between the bridge and Kafka, in the stream's order. Fields guarded by the outbox's monitor. */
    private static final class Outbox {
        final String stream;
        /** Taken around every producer.send of this stream, so that the retry thread's sends and the processor's keep the order. */
        final ReentrantLock sending = new ReentrantLock();
        /** Records not yet acknowledged to the mailman, oldest first: at most the bridge's window. */
        final ArrayDeque<Send> unconfirmed = new ArrayDeque<>();
        /** Sends handed to the producer whose callback has not come. */
        int inFlight;
        /** A send failed: nothing of the stream is sent or acknowledged until every send in flight is back; then all again. */
        boolean failed;
        boolean resendScheduled;

        Outbox(String stream) {
            this.stream = stream;
        }
    }

    /**
     * A bridge with these processor options (name, subscriptions, window...) writing to
     * {@code topic} of the Kafka cluster at {@code bootstrap} ({@code HOST:PORT[,HOST:PORT...]}).
     *
     * @throws IllegalArgumentException if the topic is not a Kafka topic name or the bootstrap is empty or malformed
     */
    public KafkaBridge(ProcessorOptions options, String bootstrap, String topic) {
        this(options, bootstrap, topic, Map.of());
    }

    /**
     * As {@link #KafkaBridge(ProcessorOptions, String, String)}, with producer settings of the
     * site's own ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}...) on top. The
     * idempotence, acks=all and the unbounded delivery timeout are the bridge's guarantee:
     * overriding them voids it.
     */
    public KafkaBridge(ProcessorOptions options, String bootstrap, String topic, Map<String, Object> producerSettings) {
        super(options);
        this.label = "kafka bridge '" + options.name() + "'";
        this.bootstrap = bootstrap;
        this.topic = Producers.checkTopic(label, topic);
        this.producer = Producers.idempotent(label, bootstrap, Map.of(
                // Real-time chunks go at once; under load the producer batches what waits behind the requests in flight.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                // Never expire a record: an expired one could be overtaken by a later one of its stream (the producer
                // starts a new epoch and sends those), and the bridge retries without end anyway.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), producerSettings);
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-bridge-retry-" + options.name());
            t.setDaemon(true);
            return t;
        });
        long every = WAIT.toMillis();
        retry.scheduleWithFixedDelay(this::warnAboutSlowRecords, every, every, TimeUnit.MILLISECONDS);
    }

    /** The topic the bridge writes to. */
    public String topic() {
        return topic;
    }

    /** Records Kafka has acknowledged (a record sent again counts each time Kafka takes it). */
    public long recordsWritten() {
        return written.get();
    }

    /** Records sent again because the producer gave up on them or on an earlier record of their stream. */
    public long retries() {
        return retries.get();
    }

    /** Gap notices received from the mailman (ranges of chunks that never reached the bridge, written nowhere). */
    public long gaps() {
        return gaps.get();
    }

    /** Hands the chunk's record to the producer; the chunk is acknowledged once Kafka has it and every earlier one of its stream. */
    @Override
    protected void processData(AudioChunk chunk) throws InterruptedException {
        Outbox box = outboxes.computeIfAbsent(chunk.stream(), Outbox::new);
        ProducerRecord<byte[], byte[]> record = ChunkRecords.toRecord(topic, chunk);
        box.sending.lockInterruptibly(); // before taking the acknowledgement over: interrupted here, the chunk stays unacknowledged
        try {
            Send send = new Send(record, acknowledgeLater());
            boolean now;
            synchronized (box) {
                box.unconfirmed.addLast(send);
                now = !box.failed;
                if (now) {
                    box.inFlight++;
                }
            }
            if (now) {
                transmit(box, send);
            }
        } finally {
            box.sending.unlock();
        }
    }

    /** Hands one record to the producer; its outcome comes to {@link #completed}. Under the outbox's send lock; inFlight counted. */
    private void transmit(Outbox box, Send send) throws InterruptedException {
        try {
            producer.send(send.record, (metadata, failure) -> completed(box, send, failure));
        } catch (InterruptException e) {
            completed(box, send, e);
            throw new InterruptedException("interrupted while sending stream '" + box.stream + "' to Kafka");
        } catch (KafkaException | IllegalStateException e) {
            completed(box, send, e); // thrown by send itself (a producer in a fatal state or closed); timeouts come through the callback
        }
    }

    /** A send's outcome. Any thread: the producer's I/O thread, or the sending thread for what fails at once. */
    private void completed(Outbox box, Send send, Exception failure) {
        List<PendingAck> release = List.of();
        boolean resend = false;
        synchronized (box) {
            box.inFlight--;
            if (failure == null) {
                send.written = true;
                if (!box.failed) {
                    release = new ArrayList<>(2);
                    while (!box.unconfirmed.isEmpty() && box.unconfirmed.peekFirst().written) {
                        release.add(box.unconfirmed.pollFirst().ack);
                    }
                }
            } else {
                box.failed = true;
            }
            if (box.failed && box.inFlight == 0 && !box.resendScheduled) {
                box.resendScheduled = true;
                resend = true;
            }
        }
        if (failure == null) {
            written.incrementAndGet();
            for (PendingAck ack : release) {
                ack.acknowledge();
            }
            if (!release.isEmpty()) {
                saySendingAgain(box.stream, release.get(release.size() - 1).seq(), send.since);
            }
        } else {
            warn(box.stream, seqOf(send), send.since, "failed (" + describe(failure) + "); sending it and the stream's later chunks again",
                    adviceFor(failure));
        }
        if (resend) {
            try {
                retry.schedule(() -> resend(box), RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // The bridge is stopping: what is unconfirmed stays unacknowledged, for the next bridge under this name.
            }
        }
    }

    /** The retry thread: every record of the stream not yet acknowledged is sent again, in order. */
    private void resend(Outbox box) {
        box.sending.lock();
        try {
            List<Send> again;
            synchronized (box) {
                box.resendScheduled = false;
                box.failed = false;
                again = new ArrayList<>(box.unconfirmed);
                for (Send s : again) {
                    s.written = false;
                }
            }
            for (Send s : again) {
                synchronized (box) {
                    if (box.failed) {
                        break; // failed again at once: the next resend, after its pause, takes it from the first one on
                    }
                    box.inFlight++;
                }
                retries.incrementAndGet();
                transmit(box, s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the bridge is stopping
        } finally {
            box.sending.unlock();
        }
    }

    /** The retry thread, every {@code WAIT}: says (rate-limited) which stream waits longest for Kafka. */
    private void warnAboutSlowRecords() {
        Send oldest = null;
        String stream = null;
        for (Outbox box : outboxes.values()) {
            synchronized (box) {
                Send first = box.unconfirmed.peekFirst();
                if (first != null && (oldest == null || first.since < oldest.since)) {
                    oldest = first;
                    stream = box.stream;
                }
            }
        }
        if (oldest != null && System.nanoTime() - oldest.since >= WAIT.toNanos()) {
            warn(stream, seqOf(oldest), oldest.since, "is not acknowledged yet; still waiting for it", START_KAFKA);
        }
    }

    /** What to do when Kafka is away. */
    private static final String START_KAFKA = "start Kafka or check --kafka and --topic (the topic must exist or be auto-created)";

    /** What to do about a send that failed: a record Kafka refuses as such needs the limit raised, not Kafka started. */
    private static String adviceFor(Throwable failure) {
        Throwable cause = failure instanceof KafkaException && !(failure instanceof ApiException) && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
            return "the chunk is larger than Kafka takes: raise the broker's message.max.bytes (or the topic's max.message.bytes) "
                    + "and the bridge's max.request.size, or record shorter chunks";
        }
        if (cause instanceof InvalidRecordException || cause instanceof InvalidTimestampException) {
            return "Kafka refuses the record itself: check the broker's and the topic's record settings against the message above";
        }
        if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
            return "give the bridge's principal the right to write to the topic, or check its credentials";
        }
        return START_KAFKA;
    }

    private void warn(String stream, long seq, long since, String what, String advice) {
        synchronized (warnings) {
            long now = System.nanoTime();
            if (warnedOnce && now - lastWarnNanos < TimeUnit.SECONDS.toNanos(WARN_EVERY_SECONDS)) {
                warningsHeldBack++;
                return;
            }
            log.warn("{}: Kafka at {} has not taken stream '{}' seq {} into topic '{}' for {} s: the send {}{}. Nothing is skipped "
                            + "or acknowledged meanwhile: {}; the mailman holds the chunks for RETENTION_SECONDS, older ones reach "
                            + "this bridge as gaps (logged)", label, bootstrap, stream, seq, topic, seconds(now - since),
                    what, warningsHeldBack == 0 ? "" : " (" + warningsHeldBack + " similar warnings held back)", advice);
            lastWarnNanos = now;
            warnedOnce = true;
            warningsHeldBack = 0;
        }
    }

    private void saySendingAgain(String stream, long seq, long since) {
        synchronized (warnings) {
            if (warnedOnce) {
                log.info("{}: Kafka at {} acknowledges again (stream '{}' seq {} is in topic '{}' after {} s); carrying on",
                        label, bootstrap, stream, seq, topic, seconds(System.nanoTime() - since));
                warnedOnce = false;
                warningsHeldBack = 0;
            }
        }
    }

    /** Writes nothing for the range (it never reached the bridge) and says so. */
    @Override
    protected void onGap(Gap gap) {
        gaps.incrementAndGet();
        log.warn("{}: stream '{}' seq {}..{} ({} chunk(s), {}) never reached the bridge: nothing written to topic '{}' for them",
                label, gap.stream(), gap.fromSeq(), gap.toSeq(), gap.count(), gap.reason(), topic);
    }

    @Override
    protected void onStart() {
        log.info("{}: writing {} to topic '{}' at {}", label,
                options().subscriptions().isEmpty() ? "every stream" : "streams " + options().subscriptions(), topic, bootstrap);
    }

    @Override
    protected void onStop() {
        retry.shutdownNow();
        // close() may have interrupted the processor's thread: the producer's close must not see that interrupt too.
        boolean interrupted = Thread.interrupted();
        try {
            producer.close(CLOSE_TIMEOUT);
        } catch (InterruptException e) {
            log.debug("{}: interrupted while closing the producer", label, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("{}: stopped after {} records written to topic '{}', {} retries, {} gaps", label, written.get(), topic,
                retries.get(), gaps.get());
    }

    private static long seqOf(Send send) {
        return send.ack.seq();
    }

    private static String describe(Throwable t) {
        Throwable cause = t instanceof KafkaException && t.getCause() != null ? t.getCause() : t;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}
