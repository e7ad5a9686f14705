package io.audiosockets.kafka;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.kafka.ChunkRecords;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
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
 * {@link #processData} returns only once Kafka has acknowledged the chunk's record (acks=all), and
 * the mailman is acknowledged only after it returns: a chunk the mailman counts as done by the
 * bridge is in Kafka. While Kafka does not acknowledge (down, unreachable, no such topic and no
 * auto-creation), the bridge keeps retrying the same chunk, never skipping and never acknowledging
 * it, and logs a warning at most every {@value #WARN_EVERY_SECONDS} s naming the topic, the stream,
 * the sequence number and what to do. Meanwhile the chunks held back are bounded by the bridge's
 * window per stream (what the mailman has in flight to it) and by what the mailman retains
 * (RETENTION_SECONDS): what falls out of the retention before the bridge gets to it arrives as an
 * exact GAP, for which nothing is written to Kafka; the bridge logs each one and counts it
 * ({@link #gaps()}, {@link #gapChunks()}). One chunk at a time on one thread: the bridge's
 * throughput is one Kafka round trip (acks=all) per chunk, across all its streams.
 *
 * <h3>Duplicates</h3>
 * The idempotent producer removes its own retries' duplicates, but only within one producer
 * session. A chunk the mailman redelivers (a bridge that crashed or stopped after Kafka took the
 * record but before the mailman had the acknowledgement; {@link #isRedelivery()}) is written
 * again, as is a chunk whose send timed out on our side and was sent again: after a restart of the
 * bridge a chunk may be twice in the topic, flagged nowhere in Kafka. The {@code audiosockets.seq}
 * header (and the seq in the value) lets a consumer drop them: per stream, keep only a seq
 * greater than the last one seen. Without failures no chunk is written twice.
 *
 * <h3>Stopping</h3>
 * {@link #close()} while Kafka is down interrupts the chunk being retried after 5 s (as for any
 * processor); neither it nor the chunks queued behind it are acknowledged to the mailman, which
 * gives them to the next bridge under this name that starts with RESUME (the default; OLDEST,
 * LIVE or SECONDS_BACK drop the name's position), flagged as redeliveries, as long as it retains
 * them.
 */
public final class KafkaBridge extends BaseProcessor {
    /** The topic when none is named. */
    public static final String DEFAULT_TOPIC = "audiosockets";
    /** At most one warning per this many seconds while Kafka does not acknowledge. */
    public static final int WARN_EVERY_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(KafkaBridge.class);
    /** How long one wait on a send lasts before the bridge says (rate-limited) that it is still waiting. */
    private static final Duration WAIT = Duration.ofSeconds(2);
    /** The pause before the same chunk is sent again after Kafka refused or timed it out. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final String bootstrap;
    private final String topic;
    private final String label;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    /** Worker-confined: when the last warning was logged (System.nanoTime), whether one was since Kafka last acknowledged, how many were held back. */
    private long lastWarnNanos;
    private boolean warnedOnce;
    private long warningsHeldBack;

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
     * idempotence and acks=all are the bridge's guarantee: overriding them voids it.
     */
    public KafkaBridge(ProcessorOptions options, String bootstrap, String topic, Map<String, Object> producerSettings) {
        super(options);
        this.label = "kafka bridge '" + options.name() + "'";
        this.bootstrap = bootstrap;
        this.topic = Producers.checkTopic(label, topic);
        this.producer = Producers.idempotent(label, bootstrap, Map.of(
                // One record at a time waits for its acknowledgement: lingering would only add latency.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), producerSettings);
    }

    /** The topic the bridge writes to. */
    public String topic() {
        return topic;
    }

    /** Records Kafka has acknowledged. */
    public long recordsWritten() {
        return written.get();
    }

    /** Sends of a chunk repeated because Kafka failed or timed out the previous one. */
    public long retries() {
        return retries.get();
    }

    /** Gap notices received from the mailman (ranges of chunks that never reached the bridge, written nowhere). */
    public long gaps() {
        return gaps.get();
    }

    /** Writes the chunk to Kafka and returns once Kafka has acknowledged it; retries until then. */
    @Override
    protected void processData(AudioChunk chunk) throws InterruptedException {
        ProducerRecord<byte[], byte[]> record = ChunkRecords.toRecord(topic, chunk);
        long since = System.nanoTime();
        while (true) {
            Throwable failure;
            try {
                Future<RecordMetadata> sent = producer.send(record);
                failure = await(sent, chunk, since);
            } catch (InterruptException e) {
                throw new InterruptedException("interrupted while sending stream '" + chunk.stream() + "' seq " + chunk.seq());
            } catch (KafkaException e) {
                failure = e; // thrown by send itself (a producer in a fatal state); metadata and buffer timeouts come through the future
            }
            if (failure == null) {
                written.incrementAndGet();
                if (warnedOnce) {
                    log.info("{}: Kafka at {} acknowledges again (stream '{}' seq {} is in topic '{}' after {} s); carrying on",
                            label, bootstrap, chunk.stream(), chunk.seq(), topic, seconds(System.nanoTime() - since));
                    warnedOnce = false;
                    warningsHeldBack = 0;
                }
                return;
            }
            retries.incrementAndGet();
            warn(chunk, since, "failed (" + describe(failure) + "); sending the same chunk again");
            Thread.sleep(RETRY_PAUSE.toMillis());
        }
    }

    /** Waits for the send's acknowledgement: null once acknowledged, else why it failed. */
    private Throwable await(Future<RecordMetadata> sent, AudioChunk chunk, long since) throws InterruptedException {
        while (true) {
            try {
                sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause() != null ? e.getCause() : e;
            } catch (TimeoutException e) {
                // Still in the producer, which retries it until delivery.timeout.ms: sending it again now would be a duplicate.
                warn(chunk, since, "is not acknowledged yet; still waiting for it");
            }
        }
    }

    private void warn(AudioChunk chunk, long since, String what) {
        long now = System.nanoTime();
        if (warnedOnce && now - lastWarnNanos < TimeUnit.SECONDS.toNanos(WARN_EVERY_SECONDS)) {
            warningsHeldBack++;
            return;
        }
        log.warn("{}: Kafka at {} has not taken stream '{}' seq {} into topic '{}' for {} s: the send {}{}. Nothing is skipped "
                        + "or acknowledged meanwhile: start Kafka or check --kafka and --topic (the topic must exist or be "
                        + "auto-created); the mailman holds the chunks for RETENTION_SECONDS, older ones reach this bridge as "
                        + "gaps (logged)", label, bootstrap, chunk.stream(), chunk.seq(), topic, seconds(now - since),
                what, warningsHeldBack == 0 ? "" : " (" + warningsHeldBack + " similar warnings held back)");
        lastWarnNanos = now;
        warnedOnce = true;
        warningsHeldBack = 0;
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
        // close() may have interrupted a chunk being retried: the producer's close must not see that interrupt too.
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

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}
