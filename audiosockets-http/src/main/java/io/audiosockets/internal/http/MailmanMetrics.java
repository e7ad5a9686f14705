package io.audiosockets.internal.http;

import io.audiosockets.mailman.Mailman;
import io.audiosockets.mailman.MailmanStats;
import io.audiosockets.mailman.MailmanStatus;
import io.audiosockets.mailman.ProcessorStatus;
import io.audiosockets.mailman.StreamStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.ToDoubleFunction;

/**
 * The mailman's figures as Prometheus metrics, through Micrometer's Prometheus registry. A scrape
 * reads {@link Mailman#statusAsync()} and brings the per-stream and per-processor meters up to
 * date (registering those of a new stream or processor, removing those of one that has gone), then
 * renders the registry: nothing is counted on the audio path for this. The names and labels are
 * listed in {@code docs/HTTP-API.md}; label values are stream and processor names, which the
 * protocol's name rule and {@code MAX_STREAMS}/{@code MAX_PROCESSORS} bound.
 *
 * <p>Scrapes must not run concurrently: the HTTP side runs them on its one thread.
 */
public final class MailmanMetrics {
    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Mailman mailman;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The latest figures of each stream, processor and (processor, stream), read by their meters. */
    private final Map<String, Holder<StreamStatus>> streams = new HashMap<>();
    private final Map<String, Holder<ProcessorStatus>> processors = new HashMap<>();
    private final Map<List<String>, Holder<ProcessorStatus.Cursor>> cursors = new HashMap<>();
    private volatile MailmanStatus last;

    /** Metrics of {@code mailman}, with the JVM's and Netty's memory. */
    public MailmanMetrics(Mailman mailman) {
        this.mailman = mailman;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("netty.allocator.used.direct.memory", PooledByteBufAllocator.DEFAULT, a -> a.metric().usedDirectMemory())
                .description("direct memory held by Netty's pooled allocator (the chunks the mailman holds live here)")
                .baseUnit("bytes").register(registry);
        Gauge.builder("netty.allocator.used.heap.memory", PooledByteBufAllocator.DEFAULT, a -> a.metric().usedHeapMemory())
                .baseUnit("bytes").register(registry);
        total("audiosockets.connections.accepted", "connections accepted since start", MailmanStats.Snapshot::connections);
        total("audiosockets.chunks.in", "new chunks received from recorders", MailmanStats.Snapshot::chunksIn);
        total("audiosockets.chunks.duplicate", "chunks received again (resends) and dropped", MailmanStats.Snapshot::duplicates);
        total("audiosockets.chunks.replayed", "chunks recorders sent again after a mailman restart", MailmanStats.Snapshot::chunksReplayed);
        total("audiosockets.deliveries", "chunks written to processors, all together", MailmanStats.Snapshot::deliveries);
        total("audiosockets.gaps", "GAP notices sent to processors", MailmanStats.Snapshot::gaps);
        total("audiosockets.gap.chunks", "chunks those gaps covered", MailmanStats.Snapshot::gapChunks);
        total("audiosockets.protocol.errors", "connections closed for a protocol error", MailmanStats.Snapshot::protocolErrors);
        total("audiosockets.streams.forgotten", "streams let go after their recorder left", MailmanStats.Snapshot::streamsForgotten);
        total("audiosockets.budget.evictions", "chunks let go early because RETENTION_MAX_BYTES was reached",
                MailmanStats.Snapshot::budgetEvictions);
        Gauge.builder("audiosockets.retained", this, m -> m.last == null ? 0 : m.last.totals().retainedBytes())
                .description("bytes all streams hold now (held to RETENTION_MAX_BYTES)").baseUnit("bytes").register(registry);
        Gauge.builder("audiosockets.retained.memory", this, m -> m.last == null ? 0 : m.last.totals().retainedMemoryBytes())
                .description("direct memory that holds them: the chunks packed in 8 KiB slabs, at most two slabs per stream more")
                .baseUnit("bytes").register(registry);
        Gauge.builder("audiosockets.connections", this, m -> m.last == null ? 0 : m.last.recorders().size())
                .tags("role", "recorder").description("clients connected now, by role").register(registry);
        Gauge.builder("audiosockets.connections", this, m -> m.last == null ? 0 : m.last.processors().size())
                .tags("role", "processor").description("clients connected now, by role").register(registry);
        Gauge.builder("audiosockets.streams", this, m -> m.last == null ? 0 : m.last.streams().size())
                .description("streams the mailman keeps a log for").register(registry);
    }

    private void total(String name, String description, ToDoubleFunction<MailmanStats.Snapshot> f) {
        FunctionCounter.builder(name, this, m -> m.last == null ? 0 : f.applyAsDouble(m.last.totals()))
                .description(description).register(registry);
    }

    /** Reads the mailman's status, updates the meters on {@code executor} and renders them. */
    public CompletableFuture<String> scrape(Executor executor) {
        return mailman.statusAsync().thenApplyAsync(s -> {
            update(s);
            return registry.scrape();
        }, executor);
    }

    private void update(MailmanStatus s) {
        last = s;
        refused = mailman.stats().refusedByCode();
        refused.keySet().forEach(this::refusedCounter);
        Set<String> seen = new HashSet<>();
        for (StreamStatus st : s.streams()) {
            seen.add(st.name());
            holder(streams, st.name(), st, h -> streamMeters(h, st.name())).value = st;
        }
        removeGone(streams, seen);
        Set<String> seenP = new HashSet<>();
        Set<List<String>> seenC = new HashSet<>();
        for (ProcessorStatus p : s.processors()) {
            seenP.add(p.name());
            holder(processors, p.name(), p, h -> processorMeters(h, p.name())).value = p;
            for (ProcessorStatus.Cursor c : p.cursors()) {
                List<String> key = List.of(p.name(), c.stream());
                seenC.add(key);
                holder(cursors, key, c, h -> cursorMeters(h, p.name(), c.stream())).value = c;
            }
        }
        removeGone(processors, seenP);
        removeGone(cursors, seenC);
    }

    private final Set<String> refusedCodes = new HashSet<>();
    /** Refusals by code as the last scrape read them (read once per scrape, not once per code). */
    private volatile Map<String, Long> refused = Map.of();

    private void refusedCounter(String code) {
        if (refusedCodes.add(code)) {
            FunctionCounter.builder("audiosockets.handshakes.refused", this, m -> m.refused.getOrDefault(code, 0L))
                    .tags("code", code).description("handshakes refused, by error code").register(registry);
        }
    }

    private static final class Holder<T> {
        volatile T value;
        final List<Meter> meters = new ArrayList<>();

        Holder(T value) {
            this.value = value;
        }
    }

    private <K, T> Holder<T> holder(Map<K, Holder<T>> map, K key, T value, java.util.function.Consumer<Holder<T>> register) {
        Holder<T> h = map.get(key);
        if (h == null) {
            h = new Holder<>(value);
            map.put(key, h);
            register.accept(h);
        }
        return h;
    }

    private <K, T> void removeGone(Map<K, Holder<T>> map, Set<K> seen) {
        map.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            e.getValue().meters.forEach(registry::remove);
            return true;
        });
    }

    private void streamMeters(Holder<StreamStatus> h, String stream) {
        Tags t = Tags.of("stream", stream);
        h.meters.add(FunctionCounter.builder("audiosockets.stream.chunks.in", h, x -> x.value.chunksIn()).tags(t)
                .description("new chunks received for the stream").register(registry));
        h.meters.add(FunctionCounter.builder("audiosockets.stream.bytes.in", h, x -> x.value.bytesIn()).tags(t)
                .description("their encoded bytes").register(registry));
        h.meters.add(Gauge.builder("audiosockets.stream.chunks.per.second", h, x -> x.value.chunksPerSecond()).tags(t)
                .description("chunks received per second over the last 2 s").strongReference(true).register(registry));
        h.meters.add(Gauge.builder("audiosockets.stream.retained", h, x -> x.value.retainedBytes()).tags(t).baseUnit("bytes")
                .description("bytes of the stream the mailman holds now").strongReference(true).register(registry));
        h.meters.add(Gauge.builder("audiosockets.stream.retained.seconds", h, x -> x.value.retainedSeconds()).tags(t)
                .description("audio of the stream the mailman holds now").strongReference(true).register(registry));
        h.meters.add(Gauge.builder("audiosockets.stream.recorder.connected", h, x -> x.value.recorderConnected() ? 1 : 0).tags(t)
                .description("1 while the stream's recorder is connected").strongReference(true).register(registry));
        h.meters.add(Gauge.builder("audiosockets.stream.seconds.since.last.chunk", h, x -> x.value.secondsSinceLastChunk()).tags(t)
                .description("how long ago its newest chunk arrived (-1 before the first)").strongReference(true).register(registry));
    }

    private void processorMeters(Holder<ProcessorStatus> h, String processor) {
        Tags t = Tags.of("processor", processor);
        h.meters.add(FunctionCounter.builder("audiosockets.processor.delivered", h, x -> x.value.delivered()).tags(t)
                .description("chunks written to the processor on its current connection").register(registry));
        h.meters.add(FunctionCounter.builder("audiosockets.processor.gaps", h, x -> x.value.gaps()).tags(t)
                .description("GAP notices sent to it on its current connection").register(registry));
        h.meters.add(FunctionCounter.builder("audiosockets.processor.gap.chunks", h, x -> x.value.gapChunks()).tags(t)
                .description("chunks those gaps covered").register(registry));
    }

    private void cursorMeters(Holder<ProcessorStatus.Cursor> h, String processor, String stream) {
        Tags t = Tags.of("processor", processor, "stream", stream);
        h.meters.add(Gauge.builder("audiosockets.processor.acked.seq", h, x -> x.value.ackedSeq()).tags(t)
                .description("the highest seq of the stream the processor has acknowledged").strongReference(true).register(registry));
        h.meters.add(Gauge.builder("audiosockets.processor.in.flight", h, x -> x.value.inFlight()).tags(t)
                .description("chunks sent and not yet acknowledged").strongReference(true).register(registry));
        h.meters.add(Gauge.builder("audiosockets.processor.lag.chunks", h, x -> x.value.lagChunks()).tags(t)
                .description("chunks arrived that the processor has not acknowledged").strongReference(true).register(registry));
        h.meters.add(Gauge.builder("audiosockets.processor.lag.seconds", h, x -> x.value.lagSeconds()).tags(t)
                .description("how long its oldest unacknowledged chunk has waited").strongReference(true).register(registry));
    }
}
