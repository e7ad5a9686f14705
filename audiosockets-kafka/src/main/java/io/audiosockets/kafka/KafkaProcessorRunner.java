package io.audiosockets.kafka;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.kafka.ChunkRecords;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorDriver;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.protocol.StartPosition;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BaseProcessor}, unchanged, as a member of a Kafka consumer group: Kafka spreads
 * the topic's partitions (and so the streams, one record per chunk keyed by stream, see
 * {@code ChunkRecords}) over the group's members; this member hands each record's chunk to the
 * processor's {@code processData} in partition order, through a {@link ProcessorDriver}.
 *
 * <h3>Offsets</h3>
 * Auto-commit is off. A partition's offset is committed only after {@code processData} returned
 * for every record before it: once per poll (before the batch it returned is processed, for what
 * the batches before it processed), on every revocation (a rebalance) and on {@link #close()}.
 * After a rebalance or a crash the partition's next owner resumes at the committed offset.
 *
 * <h3>Redeliveries</h3>
 * Each commit carries, in its metadata, {@code fetched-up-to=N}: the offset after the last
 * record this member had been handed by a poll, committed <em>before</em> any of them is
 * processed. A record below that mark and at or above the committed offset may have been
 * processed by the previous owner that never committed it: the next owner hands it to
 * {@code processData} with {@link BaseProcessor#isRedelivery()} true. The window is at most one
 * poll's records ({@value #MAX_POLL_RECORDS}). Within one member, a chunk is never processed twice
 * (the processor object remembers the last sequence number per stream).
 *
 * <h3>Gaps</h3>
 * Per stream, the last sequence number processed is tracked, and carried in the commit's metadata
 * ({@code seqs=stream:seq,...}) so that the next owner knows it too. When the next chunk of a
 * stream is further on than the next number, {@code onGap} is called first with the exact range:
 * {@link GapReason#RETENTION_EXCEEDED} if the partition's offsets jumped since the stream's last
 * chunk (Kafka deleted records the group had not read), else {@link GapReason#SOURCE_SKIPPED} (the
 * topic never held them). When a partition carries so many streams that the metadata would pass
 * {@value #MAX_SEQS_CHARS} characters, the streams are left out of it, and the next owner cannot tell
 * a gap before its first chunk of them (it logs this once at commit).
 *
 * <h3>Start positions</h3>
 * The start position applies to a partition the group has no committed offset for: {@code OLDEST}
 * from the oldest record Kafka retains, {@code LIVE} (and {@code RESUME}) only what is produced
 * from then on, a duration back from the first record at or after that time
 * ({@code offsetsForTimes}, on the records' timestamps, which are capture times). If a committed
 * offset is no longer in the topic, the member resumes at the oldest record and reports the gap.
 */
public final class KafkaProcessorRunner implements AutoCloseable {
    /** Records per poll at most: the bound of the window of chunks a crash can redeliver per member. */
    public static final int MAX_POLL_RECORDS = 200;
    /** The longest list of streams' sequence numbers kept in one partition's commit metadata. */
    public static final int MAX_SEQS_CHARS = 3_000;
    private static final Logger log = LoggerFactory.getLogger(KafkaProcessorRunner.class);
    private static final String FETCHED = "fetched-up-to=";
    private static final String SEQS = ";seqs=";

    private final ProcessorDriver driver;
    private final String topic;
    private final String group;
    private final StartPosition start;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String label;
    private final Map<TopicPartition, PartitionState> owned = new HashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile boolean running;

    /** What this member knows of one partition it owns. Confined to the polling thread. */
    private static final class PartitionState {
        /** The offset to commit: the one after the last record processed, or -1 before the first. */
        long processedUpTo = -1;
        /** The offset after the last record a poll returned, or -1. */
        long fetchedUpTo = -1;
        /** Records below this were fetched by the previous owner, which may have processed them. */
        long redeliverBelow = -1;
        /** The offset the next record should have; a record further on means Kafka skipped records. */
        long expectedNext = -1;
        /** The offset of the first record after the last jump (retention); -1 if none. */
        long jumpedAt = -1;
        final Map<String, Long> lastSeq = new LinkedHashMap<>();
        final Map<String, Long> lastOffset = new HashMap<>();
        boolean dirty;
        boolean seqsTooLong;
    }

    /**
     * A member of consumer group {@code group} reading {@code topic} on the brokers at {@code bootstrap}
     * ({@code host:port[,host:port...]}), for {@code processor}, which must be neither started nor driven.
     *
     * @param start where to begin in a partition the group has no committed offset for
     * @param consumerProperties further Kafka consumer settings (security, session timeout...); they may not turn auto-commit on
     * @throws IllegalArgumentException for a blank topic or group, or auto-commit asked for
     */
    public KafkaProcessorRunner(BaseProcessor processor, String bootstrap, String group, String topic, StartPosition start,
            Map<String, String> consumerProperties) {
        Objects.requireNonNull(processor, "processor == null");
        this.group = requireName("group", group);
        this.topic = requireName("topic", topic);
        this.start = Objects.requireNonNull(start, "start == null");
        this.label = "processor '" + processor.name() + "' in Kafka group '" + group + "' on topic '" + topic + "'";
        Properties p = new Properties();
        p.putAll(consumerProperties);
        if ("true".equalsIgnoreCase(p.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG))) {
            throw new IllegalArgumentException(label + ": enable.auto.commit=true would commit chunks before processData "
                    + "returned; leave it out");
        }
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, requireName("bootstrap", bootstrap));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Only reached when a committed offset is no longer in the topic (retention): the smallest gap. A partition
        // without a committed offset is positioned by the start position, at assignment.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(MAX_POLL_RECORDS));
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + processor.name() + "-" + ProcessHandle.current().pid());
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.driver = new ProcessorDriver(processor);
    }

    /** As {@link #KafkaProcessorRunner(BaseProcessor, String, String, String, StartPosition, Map)} with no further settings. */
    public KafkaProcessorRunner(BaseProcessor processor, String bootstrap, String group, String topic, StartPosition start) {
        this(processor, bootstrap, group, topic, start, Map.of());
    }

    /**
     * Joins the group and processes until {@link #close()} is called from another thread; then
     * commits what was processed, leaves the group and runs {@code onStop}. Call it once.
     *
     * @throws KafkaException if Kafka fails for good (authorisation, a topic that may not be read...)
     */
    public void run() {
        if (running) {
            throw new IllegalStateException(label + ": already running");
        }
        running = true;
        try {
            driver.start();
            consumer.subscribe(List.of(topic), new Listener());
            while (!closing) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                }
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
                    PartitionState st = owned.get(tp);
                    st.fetchedUpTo = Math.max(st.fetchedUpTo, list.get(list.size() - 1).offset() + 1);
                    if (st.processedUpTo < 0) {
                        st.processedUpTo = list.get(0).offset(); // nothing processed yet: where this member starts
                    }
                    st.dirty = true;
                }
                // The mark goes to Kafka before the batch is processed: a crash during it leaves the next owner told.
                if (!commit(owned.keySet())) {
                    rewind(records);
                    continue;
                }
                for (TopicPartition tp : records.partitions()) {
                    PartitionState st = owned.get(tp);
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        handle(tp, st, r);
                    }
                }
            }
            commit(owned.keySet());
        } finally {
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                log.warn("{}: closing the Kafka consumer failed: {}", label, e.toString());
            }
            driver.close();
            done.countDown();
        }
    }

    /**
     * Completes once the group has given this member its first partitions and it has positioned
     * itself in them (the consumer-group counterpart of a processor's {@code connected()}): what is
     * produced from then on reaches it even with {@code LIVE}.
     */
    public CompletableFuture<Void> assigned() {
        return assigned;
    }

    /**
     * Stops {@link #run()}: the chunk being processed finishes, what was processed is committed,
     * the member leaves the group, {@code onStop} runs. Waits up to 30 s for that. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        if (running) {
            try {
                if (!done.await(30, TimeUnit.SECONDS)) {
                    log.warn("{}: still running 30 s after close()", label);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handle(TopicPartition tp, PartitionState st, ConsumerRecord<byte[], byte[]> r) {
        if (st.expectedNext >= 0 && r.offset() > st.expectedNext) {
            st.jumpedAt = r.offset();
            log.warn("{}: {} jumped from offset {} to {}: Kafka no longer holds the records between (retention)",
                    label, tp, st.expectedNext, r.offset());
        }
        st.expectedNext = r.offset() + 1;
        AudioChunk chunk;
        try {
            chunk = ChunkRecords.fromRecord(r);
        } catch (IllegalArgumentException e) {
            log.error("{}: skipping a record that is not a chunk: {}", label, e.getMessage());
            done(st, r);
            return;
        }
        String stream = chunk.stream();
        Long last = st.lastSeq.get(stream);
        if (last != null && chunk.seq() > last + 1) {
            Long lastOffset = st.lastOffset.get(stream);
            boolean retention = st.jumpedAt >= 0 && (lastOffset == null || st.jumpedAt > lastOffset);
            String message = retention
                    ? "chunks " + (last + 1) + ".." + (chunk.seq() - 1) + " of stream '" + stream + "' are no longer in Kafka topic '"
                            + topic + "' partition " + tp.partition() + " (deleted by retention before group '" + group + "' read them)"
                    : "Kafka topic '" + topic + "' partition " + tp.partition() + " never held chunks " + (last + 1) + ".."
                            + (chunk.seq() - 1) + " of stream '" + stream + "'";
            driver.gap(new Gap(stream, last + 1, chunk.seq() - 1, retention ? GapReason.RETENTION_EXCEEDED : GapReason.SOURCE_SKIPPED,
                    message));
        }
        driver.process(chunk, r.offset() < st.redeliverBelow);
        if (last == null || chunk.seq() > last) {
            st.lastSeq.put(stream, chunk.seq());
        }
        st.lastOffset.put(stream, r.offset());
        done(st, r);
    }

    private static void done(PartitionState st, ConsumerRecord<?, ?> r) {
        st.processedUpTo = r.offset() + 1;
        st.dirty = true;
    }

    // A commit that failed for a rebalance: the batch is not processed here; its partitions are read again from what was
    // processed (if this member keeps them), so that no record is processed without its mark committed first.
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    /** Commits the processed offsets of {@code partitions} with their marks; false if the group is rebalancing. */
    private boolean commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState st = owned.get(tp);
            if (st != null && st.dirty && st.processedUpTo >= 0) {
                offsets.put(tp, new OffsetAndMetadata(st.processedUpTo, metadata(tp, st)));
            }
        }
        if (offsets.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(offsets);
            for (TopicPartition tp : offsets.keySet()) {
                owned.get(tp).dirty = false;
            }
            return true;
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.info("{}: commit refused while the group rebalances ({}); the records are read again", label, e.getMessage());
            return false;
        } catch (WakeupException e) {
            closing = true;
            return commit(partitions);
        }
    }

    private String metadata(TopicPartition tp, PartitionState st) {
        StringBuilder b = new StringBuilder(FETCHED).append(Math.max(st.fetchedUpTo, st.redeliverBelow));
        StringBuilder seqs = new StringBuilder();
        for (Map.Entry<String, Long> e : st.lastSeq.entrySet()) {
            if (!seqs.isEmpty()) {
                seqs.append(',');
            }
            seqs.append(e.getKey()).append(':').append(e.getValue());
        }
        if (seqs.length() <= MAX_SEQS_CHARS) {
            b.append(SEQS).append(seqs);
        } else if (!st.seqsTooLong) {
            st.seqsTooLong = true;
            log.warn("{}: {} carries {} streams, too many to commit their positions; its next owner cannot report a gap "
                    + "before its first chunk of each", label, tp, st.lastSeq.size());
        }
        return b.toString();
    }

    /** Reads a commit's metadata into {@code st}; tolerant of commits made by other tools (no metadata). */
    static void readMetadata(String metadata, PartitionState st) {
        if (metadata == null || !metadata.startsWith(FETCHED)) {
            return;
        }
        int semi = metadata.indexOf(';');
        try {
            st.redeliverBelow = Long.parseLong(metadata.substring(FETCHED.length(), semi < 0 ? metadata.length() : semi));
            int s = metadata.indexOf(SEQS);
            if (s >= 0 && s + SEQS.length() < metadata.length()) {
                for (String entry : metadata.substring(s + SEQS.length()).split(",")) {
                    int colon = entry.lastIndexOf(':');
                    st.lastSeq.put(entry.substring(0, colon), Long.parseLong(entry.substring(colon + 1)));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Ignoring commit metadata that is not this runner's: {}", metadata);
        }
    }

    /** Commits on revocation, positions new partitions. Runs inside poll, on the polling thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(partitions);
            partitions.forEach(owned::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another member may own them already: committing would overwrite its offsets.
            partitions.forEach(owned::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            Map<TopicPartition, Long> byTime = new HashMap<>();
            for (TopicPartition tp : partitions) {
                PartitionState st = new PartitionState();
                owned.put(tp, st);
                OffsetAndMetadata c = committed.get(tp);
                if (c != null) {
                    readMetadata(c.metadata(), st);
                    st.expectedNext = c.offset();
                    st.lastSeq.keySet().forEach(s -> st.lastOffset.put(s, c.offset() - 1));
                    continue;
                }
                switch (start.mode()) {
                    case OLDEST -> consumer.seekToBeginning(List.of(tp));
                    case LIVE, RESUME -> consumer.seekToEnd(List.of(tp));
                    case SECONDS_BACK -> byTime.put(tp, System.currentTimeMillis() - start.back().toMillis());
                }
            }
            if (!byTime.isEmpty()) {
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(byTime);
                byTime.keySet().forEach(tp -> {
                    OffsetAndTimestamp o = found.get(tp);
                    if (o != null) {
                        consumer.seek(tp, o.offset());
                    } else {
                        consumer.seekToEnd(List.of(tp)); // nothing that recent: from now on
                    }
                });
            }
            log.info("{}: assigned partitions {}", label, partitions.stream().map(TopicPartition::partition).sorted().toList());
            assigned.complete(null);
        }
    }

    private static String requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Kafka " + what + " is empty: name one");
        }
        return value;
    }
}
