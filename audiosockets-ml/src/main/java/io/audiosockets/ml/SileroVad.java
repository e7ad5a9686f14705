package io.audiosockets.ml;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.SpeechEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The Silero VAD v5 neural voice detector on one stream, fed chunk by chunk, reporting speech
 * boundaries as Silero's {@code get_speech_timestamps} finds them (see {@link SpeechTimestamps}).
 *
 * <p>The model is run as Silero's reference wrapper runs it: windows of 512 new samples at 16 kHz
 * (256 at 8 kHz), each behind the 64 (32) samples before it (zeros before the first), the state
 * {@code [2, 1, 128]} carried from window to window, the rate as the int64 input {@code sr}. A
 * stream at 8 or 16 kHz is fed as it is; any other rate is resampled to 16 kHz by a
 * {@link PolyphaseResampler}. Boundaries are samples of the stream and their capture times.
 *
 * <p><b>Gaps and skips:</b> speech in progress ends at the last window analysed, and the model
 * starts afresh (state, context, windowing) with the next chunk.
 *
 * <p>Not thread-safe: one instance per stream, owned by the processor thread. The
 * {@link OnnxModel} may be shared by the streams of one thread.
 */
public final class SileroVad {
    /** The built-in model: class-path resource beside this class. */
    public static final String RESOURCE = "silero_vad_v5.onnx";
    /** Its SHA-256 (also in {@code silero_vad_v5.onnx.sha256} beside it), checked at every load. */
    public static final String SHA256 = "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f";

    /**
     * The detector's thresholds, as {@code get_speech_timestamps} names them.
     *
     * @param threshold speech starts at a window whose probability is at least this, in (0, 1)
     * @param negThreshold speech may end at a window below this; NaN for Silero's default {@code max(threshold - 0.15, 0.01)}
     * @param minSpeechMs speech that does not last longer than this is dropped, &gt;= 0
     * @param minSilenceMs silence that ends speech, &gt;= 0
     * @param speechPadMs padding added on each side of each speech, &gt;= 0
     * @param overload what to do when the model falls behind real time
     * @param maxLagMs how far behind counts as falling behind, &gt; 0
     */
    public record Config(double threshold, double negThreshold, double minSpeechMs, double minSilenceMs, double speechPadMs,
                         OverloadPolicy overload, double maxLagMs) {
        /** Silero's defaults: 0.5, 0.35, 250 ms, 100 ms, 30 ms; skip when more than 2 s behind. */
        public static final Config DEFAULT = new Config(0.5, Double.NaN, 250, 100, 30, OverloadPolicy.SKIP, 2000);

        /** Validates every field, naming the one out of range. */
        public Config {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold : " + threshold + " (expected: 0 < threshold < 1)");
            }
            if (!Double.isNaN(negThreshold) && !(negThreshold > 0 && negThreshold <= threshold)) {
                throw new IllegalArgumentException("negThreshold : " + negThreshold + " (expected: 0 < negThreshold <= threshold = "
                        + threshold + ")");
            }
            nonNegative("minSpeechMs", minSpeechMs);
            nonNegative("minSilenceMs", minSilenceMs);
            nonNegative("speechPadMs", speechPadMs);
            Objects.requireNonNull(overload, "overload == null");
            if (overload == OverloadPolicy.BATCH) {
                throw new IllegalArgumentException("overload : BATCH (Silero is recurrent: its windows cannot share a batch; use SKIP)");
            }
            if (!(maxLagMs > 0) || Double.isInfinite(maxLagMs)) {
                throw new IllegalArgumentException("maxLagMs : " + maxLagMs + " (expected: > 0)");
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " : " + v + " (expected: >= 0 and finite)");
            }
        }

        /** The threshold below which speech may end. */
        public double effectiveNegThreshold() {
            return Double.isNaN(negThreshold) ? Math.max(threshold - 0.15, 0.01) : negThreshold;
        }

        /** This config with other thresholds. */
        public Config withThresholds(double threshold, double negThreshold) {
            return new Config(threshold, negThreshold, minSpeechMs, minSilenceMs, speechPadMs, overload, maxLagMs);
        }

        /** This config with other durations. */
        public Config withDurations(double minSpeechMs, double minSilenceMs, double speechPadMs) {
            return new Config(threshold, negThreshold, minSpeechMs, minSilenceMs, speechPadMs, overload, maxLagMs);
        }
    }

    private final String stream;
    private final int streamRate;
    private final StreamingModel model;
    private final SpeechTimestamps timestamps;
    private final VadEventSink sink;

    /**
     * A detector for {@code stream} at {@code streamRate} Hz.
     *
     * @param model the loaded Silero model ({@link #loadBuiltIn} or {@link #load})
     * @param epochNanos the wall clock lag is measured against
     * @throws IllegalArgumentException if the rate is below 8000 Hz
     */
    public SileroVad(OnnxModel model, String stream, int streamRate, Config config, VadEventSink sink, LongSupplier epochNanos) {
        Objects.requireNonNull(config, "config == null");
        this.stream = Objects.requireNonNull(stream, "stream == null");
        this.sink = Objects.requireNonNull(sink, "sink == null");
        if (streamRate < 8000) {
            throw new IllegalArgumentException("stream '" + stream + "': sample rate " + streamRate
                    + " Hz is not supported by the Silero VAD (it needs 8000 Hz or more: it listens up to 4 kHz at least)");
        }
        this.streamRate = streamRate;
        int modelRate = streamRate == 8000 ? 8000 : 16000;
        ModelSpec spec = spec(model.description(), modelRate, config);
        this.timestamps = new SpeechTimestamps(spec.window(), modelRate, config, this::onBoundary);
        this.model = new StreamingModel(model, spec, stream, streamRate, new ModelListener() {
            @Override
            public void onOutput(ModelOutput output) {
                float p = output.first("output");
                sink.onProbability(output.stream(), output.startSample(), output.captureTimeNanos(), p);
                timestamps.accept(p);
            }

            @Override
            public void onSkipped(Skipped skipped) {
                sink.onSkipped(skipped);
            }

            @Override
            public void onRestart(String s) {
                timestamps.finish();
            }
        }, epochNanos);
    }

    /** The spec Silero v5 is run with at {@code modelRate} (8000 or 16000 Hz). */
    static ModelSpec spec(String name, int modelRate, Config config) {
        if (modelRate != 8000 && modelRate != 16000) {
            throw new IllegalArgumentException(name + ": sample rate " + modelRate + " Hz is not supported by Silero (8000 or 16000)");
        }
        int window = modelRate == 16000 ? 512 : 256;
        return ModelSpec.builder((d, t) -> {
            throw new IllegalStateException("loaded already");
        }, name).samples("input", window).context(window / 8).sampleRate(modelRate).state("state", "stateN", 2, 1, 128)
                .constant("sr", modelRate).output("output").overload(config.overload(), Duration.ofNanos((long) (config.maxLagMs() * 1e6)))
                .build();
    }

    /**
     * Loads the built-in Silero VAD v5, checking its SHA-256, and checks its inputs.
     *
     * @throws IllegalArgumentException if the model is missing or damaged
     */
    public static OnnxModel loadBuiltIn(OnnxModel.Device device) {
        return check(OnnxModel.loadResource(SileroVad.class, RESOURCE, SHA256, device, 1));
    }

    /**
     * Loads a Silero-compatible model from {@code file} (inputs {@code input}, {@code state}
     * [2, 1, 128] and {@code sr}; outputs {@code output} and {@code stateN}).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static OnnxModel load(Path file, OnnxModel.Device device) {
        return check(OnnxModel.load(file, device, 1));
    }

    private static OnnxModel check(OnnxModel model) {
        try {
            ModelSpec spec = spec(model.description(), 16000, Config.DEFAULT);
            model.requireInput(spec.inputName(), 2, ai.onnxruntime.OnnxJavaType.FLOAT);
            model.requireInput("state", 3, ai.onnxruntime.OnnxJavaType.FLOAT);
            model.requireInput("sr", 0, ai.onnxruntime.OnnxJavaType.INT64);
            model.requireOutput("output", -1, ai.onnxruntime.OnnxJavaType.FLOAT);
            model.requireOutput("stateN", 3, ai.onnxruntime.OnnxJavaType.FLOAT);
            return model;
        } catch (IllegalArgumentException e) {
            model.close();
            throw new IllegalArgumentException(e.getMessage() + " (a Silero VAD v5 model has inputs input [batch, samples], state "
                    + "[2, batch, 128], sr int64 and outputs output, stateN)", e);
        }
    }

    private void onBoundary(SpeechEvent.Type type, Long modelSample) {
        long s = model.streamSample(modelSample);
        sink.onSpeechEvent(new SpeechEvent(type, stream, s, model.timeOf(s)));
    }

    /**
     * Feeds a chunk of the stream (mixed to mono). A chunk that does not follow the previous one is
     * a gap: open speech ends first.
     */
    public void process(AudioChunk chunk) {
        model.process(chunk);
    }

    /** Feeds mono samples at the stream's rate whose first was captured at {@code captureTimeNanos}. */
    public void process(float[] mono, int offset, int length, long captureTimeNanos) {
        model.process(mono, offset, length, captureTimeNanos);
    }

    /** A gap: open speech ends at the last window analysed, and the model starts afresh. */
    public void reset() {
        model.restart();
    }

    /** The end of the stream: reports what is left (open speech ends at the last window analysed). */
    public void finish() {
        model.finish();
        timestamps.finish();
    }

    /** Whether speech is open: a START was reported and its END not yet. */
    public boolean inSpeech() {
        return timestamps.inSpeech();
    }

    /** The stream's rate. */
    public int sampleRate() {
        return streamRate;
    }

    @Override
    public String toString() {
        return "SileroVad{stream '" + stream + "', " + streamRate + " Hz}";
    }
}
