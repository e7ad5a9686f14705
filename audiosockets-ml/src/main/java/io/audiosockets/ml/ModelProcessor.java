package io.audiosockets.ml;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.internal.config.ConfigLoader;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.logging.LoggingSetup;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor that runs an ONNX model over every stream it receives, configured rather than
 * written: a {@link ModelSpec} says how the model is fed, a {@link ModelListener} gets each
 * window's outputs.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.builder(Path.of("my_model.onnx"))
 *         .samples("audio", 16000).hop(8000).sampleRate(16000)
 *         .output("scores")
 *         .build();
 * new ModelProcessor("scorer", Path.of("server_info.json"), spec,
 *         out -> System.out.println(out.stream() + " " + out.window() + " " + out.first("scores"))).start();
 * }</pre>
 *
 * <p>The model is loaded once, in the constructor (a missing, damaged or mismatched model fails
 * there, before any connection), and shared by the streams; each stream has its own
 * {@link StreamingModel} (windowing, resampling, state), made at its first chunk and made anew if
 * its rate changes. A gap restarts the stream's model; closing the processor runs what waits,
 * reports what was skipped and closes the model.
 *
 * <p>Under {@link OverloadPolicy#BATCH}, windows held for a batch while the processor lags are run
 * by a timer of the processor's when no chunk has come for {@value #IDLE_FLUSH_MILLIS} ms (the end of
 * a backlog), so that they never wait for audio that is not coming. The listener is therefore called
 * from the processor's thread or that timer's, never both at once.
 */
public class ModelProcessor extends BaseProcessor {
    private static final Logger log = LoggerFactory.getLogger(ModelProcessor.class);

    /** How long without a chunk before a held batch is run anyway. */
    public static final long IDLE_FLUSH_MILLIS = 50;

    /** Serialises the processor thread and the flush timer. */
    private final Object lock = new Object();
    private volatile long lastChunkNanos = System.nanoTime();
    private ScheduledExecutorService flusher;
    private final ModelSpec spec;
    private final ModelListener listener;
    private final LongSupplier epochNanos;
    private final OnnxModel model;
    /** Per stream; used under {@link #lock}. */
    private final Map<String, StreamingModel> streams = new HashMap<>();

    /**
     * A processor running {@code spec}'s model, lag measured against the system clock.
     *
     * @throws IllegalArgumentException if the model cannot be loaded or does not match the spec
     */
    public ModelProcessor(ProcessorOptions options, ModelSpec spec, ModelListener listener) {
        this(options, spec, listener, ModelProcessor::systemEpochNanos);
    }

    /**
     * A processor named {@code name} connecting as the config file says (the paper's
     * {@code server_info.json}), running {@code spec}'s model.
     *
     * @throws IllegalArgumentException if the model cannot be loaded or does not match the spec
     */
    public ModelProcessor(String name, Path configFile, ModelSpec spec, ModelListener listener) {
        this(ProcessorOptions.builder(name).config(fromFile(configFile)).build(), load(spec), spec, listener,
                ModelProcessor::systemEpochNanos);
    }

    /** As {@link #ModelProcessor(ProcessorOptions, ModelSpec, ModelListener)}, lag measured against {@code epochNanos}. */
    public ModelProcessor(ProcessorOptions options, ModelSpec spec, ModelListener listener, LongSupplier epochNanos) {
        this(options, load(spec), spec, listener, epochNanos);
    }

    // The model is loaded before the processor's connection is made (in super): a model that fails to load
    // leaves no event loop behind.
    private ModelProcessor(ProcessorOptions options, OnnxModel model, ModelSpec spec, ModelListener listener,
                           LongSupplier epochNanos) {
        super(options);
        this.spec = spec;
        this.model = model;
        this.listener = Objects.requireNonNull(listener, "listener == null");
        this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos == null");
    }

    private static OnnxModel load(ModelSpec spec) {
        return Objects.requireNonNull(spec, "spec == null").load();
    }

    /** The file's configuration, with its logging_format and logging_level applied as for any processor made from a file. */
    private static NetworkConfig fromFile(Path configFile) {
        NetworkConfig config = ConfigLoader.load(configFile);
        LoggingSetup.applyIfDefault(config);
        return config;
    }

    /** The wall clock in ns since the Unix epoch (the unit of capture times). */
    public static long systemEpochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    protected void onStart() {
        if (spec.overload() == OverloadPolicy.BATCH) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "model-flush-" + name());
                t.setDaemon(true);
                return t;
            });
            flusher.scheduleWithFixedDelay(this::flushIfIdle, IDLE_FLUSH_MILLIS, IDLE_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void flushIfIdle() {
        if (System.nanoTime() - lastChunkNanos < TimeUnit.MILLISECONDS.toNanos(IDLE_FLUSH_MILLIS)) {
            return;
        }
        synchronized (lock) {
            for (StreamingModel m : streams.values()) {
                if (m.hasPending()) {
                    try {
                        m.flush();
                    } catch (RuntimeException e) {
                        log.warn("{}: running a held batch failed", name(), e);
                    }
                }
            }
        }
    }

    @Override
    protected void processData(AudioChunk chunk) {
        synchronized (lock) {
            lastChunkNanos = System.nanoTime();
            try {
                process(chunk);
            } finally {
                // Idle is counted from the end of the last chunk: a slow chunk is not idleness.
                lastChunkNanos = System.nanoTime();
            }
        }
    }

    private void process(AudioChunk chunk) {
        StreamingModel m = streams.get(chunk.stream());
        if (m == null || m.streamRate() != chunk.sampleRate()) {
            if (m != null) {
                m.finish();
            }
            m = new StreamingModel(model, spec, chunk.stream(), chunk.sampleRate(), listener, epochNanos);
            streams.put(chunk.stream(), m);
        }
        m.process(chunk);
    }

    @Override
    protected void onGap(Gap gap) {
        synchronized (lock) {
            StreamingModel m = streams.get(gap.stream());
            if (m != null) {
                m.restart();
            }
        }
    }

    @Override
    protected void onStop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        synchronized (lock) {
            try {
                streams.values().forEach(StreamingModel::finish);
            } finally {
                model.close();
            }
        }
    }

    /** The device the model runs on. */
    public OnnxModel.Device device() {
        return model.device();
    }
}
