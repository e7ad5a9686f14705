package io.audiosockets.kafka;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.AudioSource;
import io.audiosockets.audio.SourceChunks;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.internal.kafka.ChunkRecords;
import io.audiosockets.internal.protocol.Names;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recorder straight to Kafka, for a site without a mailman: reads an {@link AudioSource} in
 * chunks of {@code period} and sends each one to a topic as one record ({@code ChunkRecords}: key =
 * the stream's name, value = its AUDIO frame of PROTOCOL.md, headers {@code audiosockets.stream},
 * {@code audiosockets.seq}, {@code audiosockets.capture_ns}) through an idempotent producer
 * (enable.idempotence=true, acks=all).
 *
 * <h3>Sequence numbers and times</h3>
 * The first chunk has {@link Options#firstSeq()} (default 0), the next ones follow by one. A
 * recorder restarted on the same stream key starts at 0 again unless given the seq after the last
 * one in the topic: it does not look. A chunk's capture time is that of its first sample, counted
 * in samples from the wall-clock time when capture started (no drift correction against the wall
 * clock for a live source, unlike the mailman's recorder).
 *
 * <h3>When Kafka is slow or down</h3>
 * Records wait in the producer's buffer ({@code buffer.memory}, Kafka's default 32 MiB) and are
 * retried by it without end (delivery.timeout.ms is at its maximum, about 24 days). Once the
 * buffer is full, or while the topic's metadata cannot be fetched (Kafka down when the recorder
 * starts), a send waits up to 2 s (max.block.ms) and the same record is offered again, with a
 * warning at most every {@value KafkaBridge#WARN_EVERY_SECONDS} s that names the topic, the stream
 * and the seq: the capture loop is blocked meanwhile. A file or synthetic source simply waits, and
 * nothing is dropped; a live source (a sound card) is not read meanwhile, so its own buffer
 * overruns and drops the oldest audio; it reports that ({@link AudioSource#framesLost()}), and the
 * recorder skips as many sequence numbers as the lost audio would have filled (rounded up), so a
 * consumer sees a hole in the seqs, never audio glued across it. Kafka itself records no gap.
 * A record Kafka refuses for good (too large, not authorised) stops the recorder:
 * {@link #start()} then throws, naming the topic, the stream and the seq.
 *
 * <h3>Stopping</h3>
 * {@link #start()} returns after the source ended and every record was acknowledged. {@link #close()}
 * (from another thread, or Ctrl-C through {@code audiosockets record --kafka}) stops reading, gives
 * the records still unacknowledged {@value #CLOSE_SECONDS} s to make it, and drops the rest:
 * {@link #chunksCaptured()} minus {@link #recordsWritten()} says how many.
 */
public final class KafkaRecorder implements AutoCloseable {
    /** How long {@link #close()} lets unacknowledged records reach Kafka before it drops them. */
    public static final int CLOSE_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(KafkaRecorder.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(KafkaBridge.WARN_EVERY_SECONDS);

    private final AudioSource source;
    private final Options options;
    private final String label;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong framesLost = new AtomicLong();
    private final AtomicReference<RuntimeException> refused = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean started;
    private long lastWarnNanos;

    /**
     * What a {@link KafkaRecorder} records and where to.
     *
     * @param stream the stream's name (the record key and the frame's stream)
     * @param period a chunk's length
     * @param bootstrap the Kafka cluster, {@code HOST:PORT[,HOST:PORT...]}
     * @param topic the topic to write to
     * @param firstSeq the first chunk's sequence number, &gt;= 0
     * @param producerSettings producer settings of the site's own (TLS, SASL...), on top of the recorder's
     */
    public record Options(String stream, Duration period, String bootstrap, String topic, long firstSeq,
                          Map<String, Object> producerSettings) {
        /** Validates the fields. @throws IllegalArgumentException naming the field at fault */
        public Options {
            Names.check(Objects.requireNonNull(stream, "stream == null"), "stream name");
            Objects.requireNonNull(period, "period == null");
            if (period.isNegative() || period.isZero() || period.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("period " + period + ": expected more than 0 and at most 60 s");
            }
            Producers.checkTopic("stream '" + stream + "'", topic);
            if (firstSeq < 0) {
                throw new IllegalArgumentException("firstSeq " + firstSeq + ": expected >= 0");
            }
            producerSettings = Map.copyOf(producerSettings);
        }

        /** Options starting at seq 0, with no settings of the site's own. */
        public static Options of(String stream, Duration period, String bootstrap, String topic) {
            return new Options(stream, period, bootstrap, topic, 0, Map.of());
        }

        /** These options with another first sequence number. */
        public Options withFirstSeq(long seq) {
            return new Options(stream, period, bootstrap, topic, seq, producerSettings);
        }
    }

    /**
     * A recorder of {@code source} with these options; nothing is read before {@link #start()}.
     *
     * @throws IllegalArgumentException if a chunk of the period holds no whole frame, or the bootstrap is unusable
     */
    public KafkaRecorder(AudioSource source, Options options) {
        this.source = Objects.requireNonNull(source, "source == null");
        this.options = Objects.requireNonNull(options, "options == null");
        this.label = "kafka recorder '" + options.stream() + "'";
        if (source.format().framesIn(options.period().toNanos() / 1e9) < 1) {
            throw new IllegalArgumentException(label + ": a period of " + options.period() + " holds no whole frame of "
                    + source.format());
        }
        this.producer = Producers.idempotent(label, options.bootstrap(), Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE,
                // send() blocks at most this long (full buffer, no metadata yet) before the loop checks for close().
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000), options.producerSettings());
    }

    /**
     * Records until the source ends (then waits until Kafka has acknowledged every record) or
     * {@link #close()} is called.
     *
     * @throws IOException if the source fails (the chunks read before it are sent first)
     * @throws IllegalStateException if Kafka refused a record for good, or if already started
     */
    public void start() throws IOException {
        if (started) {
            throw new IllegalStateException(label + " already started");
        }
        started = true;
        IOException failure = null;
        try {
            log.info("{}: recording {} in chunks of {} s to topic '{}' at {}, from seq {}", label, source.describe(),
                    options.period().toMillis() / 1000.0, options.topic(), options.bootstrap(), options.firstSeq());
            try {
                captureLoop();
            } catch (IOException e) {
                failure = stopping ? null : e;
            }
            if (!stopping) {
                producer.flush(); // close() aborts it
            }
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(CLOSE_SECONDS));
            closeSource();
            ended.countDown();
        }
        log.info("{}: {} chunks captured, {} written to topic '{}'", label, captured.get(), written.get(), options.topic());
        RuntimeException r = refused.get();
        if (r != null) {
            throw r;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void captureLoop() throws IOException {
        StreamFormat f = source.format();
        int periodFrames = f.framesIn(options.period().toNanos() / 1e9);
        Instant now = Instant.now();
        long startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long firstSeq = options.firstSeq();
        new SourceChunks(source, periodFrames).run(() -> stopping || refused.get() != null, new SourceChunks.Sink() {
            @Override
            public void chunk(long index, long framesBefore, byte[] data) {
                if (refused.get() == null) {
                    send(firstSeq + index, startEpochNanos, framesBefore, f, data);
                }
            }

            @Override
            public void lost(long afterIndex, long frames, long skipped) {
                log.warn("{}: the source lost {} frames ({} s) after seq {}; skipping {} seq(s) in topic '{}'", label, frames,
                        frames / (double) f.sampleRate(), firstSeq + afterIndex, skipped, options.topic());
                framesLost.addAndGet(frames);
            }
        });
    }

    private void send(long seq, long startEpochNanos, long framesBefore, StreamFormat f, byte[] data) {
        long time = startEpochNanos + framesBefore * 1_000_000_000L / f.sampleRate();
        AudioChunk chunk = new AudioChunk(options.stream(), seq, time, f.sampleRate(), f.channels(), f.sampleFormat(), data);
        captured.incrementAndGet();
        ProducerRecord<byte[], byte[]> record = ChunkRecords.toRecord(options.topic(), chunk);
        Thread capture = Thread.currentThread();
        while (!stopping) {
            Future<RecordMetadata> sent;
            try {
                sent = producer.send(record, (metadata, e) -> {
                    if (e == null) {
                        written.incrementAndGet();
                    } else if (Thread.currentThread() != capture) {
                        refuse(seq, e); // the producer gave up on a record it had taken (its own retries never end)
                    }
                    // else: send() failed before taking the record (no metadata in time, a full buffer): handled below
                });
            } catch (KafkaException e) {
                if (stopping) {
                    return; // close() closed the producer under us
                }
                throw e;
            }
            Throwable notTaken = failureOf(sent);
            if (notTaken == null) {
                return;
            }
            if (!(notTaken instanceof RetriableException)) {
                refuse(seq, notTaken);
                return;
            }
            // Kafka down or slow: no metadata in max.block.ms, or the producer's buffer full. The same record again.
            long now = System.nanoTime();
            if (lastWarnNanos == 0 || now - lastWarnNanos >= WARN_EVERY_NANOS) {
                lastWarnNanos = now;
                log.warn("{}: Kafka at {} is not taking records for topic '{}' (stream '{}' seq {} waits: {}); {}. Start Kafka "
                                + "or check --kafka and --topic", label, options.bootstrap(), options.topic(), options.stream(),
                        seq, notTaken.getMessage(), source.isLive() ? "the source is not read meanwhile and will lose audio"
                                : "the source is held back; nothing is dropped");
            }
        }
    }

    /** Why send() did not take the record, or null if it took it (its future is then pending or done well). */
    private static Throwable failureOf(Future<RecordMetadata> sent) {
        if (!sent.isDone()) {
            return null;
        }
        try {
            sent.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void refuse(long seq, Throwable e) {
        if (!stopping && refused.compareAndSet(null, new IllegalStateException(label + ": Kafka at " + options.bootstrap()
                + " refused seq " + seq + " for topic '" + options.topic() + "': " + e.getMessage(), e))) {
            log.error("{}: Kafka refused seq {} for topic '{}'; stopping: {}", label, seq, options.topic(), e.toString());
        }
    }

    /** Chunks read from the source so far. */
    public long chunksCaptured() {
        return captured.get();
    }

    /** Records Kafka has acknowledged. */
    public long recordsWritten() {
        return written.get();
    }

    /** Frames the source reported lost (a live source's overruns), for which seqs were skipped. */
    public long framesLost() {
        return framesLost.get();
    }

    /** The options. */
    public Options options() {
        return options;
    }

    /**
     * Stops reading, gives unacknowledged records {@value #CLOSE_SECONDS} s, and returns once
     * {@link #start()} has finished (if it ran). Idempotent; any thread.
     */
    @Override
    public void close() {
        stopping = true;
        closeSource();
        if (started) {
            // Aborts a flush or a send blocked on a Kafka that is away; start() closes it for good.
            producer.close(Duration.ofSeconds(CLOSE_SECONDS));
            try {
                if (!ended.await(CLOSE_SECONDS * 2L, TimeUnit.SECONDS)) {
                    log.warn("{}: start() has not returned {} s after close()", label, CLOSE_SECONDS * 2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            producer.close(Duration.ZERO);
        }
    }

    private void closeSource() {
        try {
            source.close();
        } catch (IOException e) {
            log.debug("{}: closing the source failed", label, e);
        }
    }
}
