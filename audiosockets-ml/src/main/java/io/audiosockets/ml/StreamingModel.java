package io.audiosockets.ml;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.dsp.StreamFramer;
import io.audiosockets.dsp.StreamingLogMel;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a model over one stream as its chunks arrive, as a {@link ModelSpec} says: mono mix,
 * resampling to the model's rate, windows that continue across chunk boundaries, recurrent state
 * carried from window to window, the overload policy; each window's outputs go to a
 * {@link ModelListener}.
 *
 * <p>A chunk whose sequence number does not follow the previous one is a gap: the model restarts
 * (framing, resampler and state afresh, {@link ModelListener#onRestart}), as after a skip.
 *
 * <p>Not thread-safe: owned by one processor thread. The {@link OnnxModel} is shared by the streams
 * of one processor and not closed here.
 */
public final class StreamingModel {
    private static final Logger log = LoggerFactory.getLogger(StreamingModel.class);

    /** A window waiting to be run (under {@link OverloadPolicy#BATCH}, several wait together). */
    private record Pending(float[] input, long window, long startSample, long nanos) {
    }

    private final OnnxModel model;
    private final ModelSpec spec;
    private final String stream;
    private final int streamRate;
    private final ModelListener listener;
    private final LongSupplier epochNanos;
    private final PolyphaseResampler resampler;
    private final StreamFramer framer;
    private final StreamingLogMel logMel;
    private final int inputLength;
    private final ArrayDeque<float[]> columns = new ArrayDeque<>();
    private final float[][] stateValues;
    private final List<Pending> pending = new ArrayList<>();

    private long segmentBase;
    private long samplesReceived;
    private long anchorSample;
    private long anchorNanos;
    private long windows;
    private int skipColumns;
    private long firstColumn;
    private long lastSeq = -1;
    private float[] mono = new float[0];
    private boolean lagging;
    private long lagAtStart;
    private Skipped skipping;
    private long runs;
    private long windowsRun;

    /**
     * A model runner for {@code stream} at {@code streamRate} Hz.
     *
     * @param epochNanos the wall clock (ns since the Unix epoch) that lag is measured against
     */
    public StreamingModel(OnnxModel model, ModelSpec spec, String stream, int streamRate, ModelListener listener, LongSupplier epochNanos) {
        this.model = Objects.requireNonNull(model, "model == null");
        this.spec = Objects.requireNonNull(spec, "spec == null");
        this.stream = Objects.requireNonNull(stream, "stream == null");
        this.listener = Objects.requireNonNull(listener, "listener == null");
        this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos == null");
        if (streamRate <= 0) {
            throw new IllegalArgumentException("stream '" + stream + "': sample rate " + streamRate + " Hz (expected: > 0)");
        }
        this.streamRate = streamRate;
        this.resampler = streamRate == spec.sampleRate() ? null : new PolyphaseResampler(streamRate, spec.sampleRate());
        if (spec.input() == ModelSpec.Input.SAMPLES) {
            this.framer = new StreamFramer(spec.context() + spec.window(), spec.hop(), spec.context());
            this.logMel = null;
            this.inputLength = spec.context() + spec.window();
        } else {
            this.framer = null;
            LogMelSpectrogram spectrogram = new LogMelSpectrogram(spec.sampleRate(), spec.nMels(), LogMelSpectrogram.DEFAULT_WIN_DUR,
                    LogMelSpectrogram.DEFAULT_HOP_DUR, LogMelSpectrogram.DEFAULT_EPS);
            this.logMel = new StreamingLogMel(spectrogram);
            this.inputLength = spec.nMels() * (spec.window() / spec.melHop());
        }
        this.stateValues = new float[spec.states().size()][];
        for (int i = 0; i < stateValues.length; i++) {
            stateValues[i] = new float[spec.states().get(i).size()];
        }
    }

    /**
     * Feeds a chunk of this stream.
     *
     * @throws IllegalArgumentException if the chunk is of another stream or rate
     * @throws IllegalStateException if the model fails on a window
     */
    public void process(AudioChunk chunk) {
        if (!chunk.stream().equals(stream) || chunk.sampleRate() != streamRate) {
            throw new IllegalArgumentException("chunk of '" + chunk.stream() + "' at " + chunk.sampleRate() + " Hz fed to the model of '"
                    + stream + "' at " + streamRate + " Hz");
        }
        if (lastSeq >= 0 && chunk.seq() != lastSeq + 1) {
            restart();
        }
        lastSeq = chunk.seq();
        long endNanos = chunk.captureTimeNanos() + chunk.durationNanos();
        long lag = epochNanos.getAsLong() - endNanos;
        boolean wasLagging = lagging;
        // Hysteresis: lagging past maxLag, caught up within half of it, so that a model slightly too
        // slow skips in large steps now and then rather than a chunk every few windows.
        if (lag > spec.maxLagNanos()) {
            lagging = true;
        } else if (lag <= spec.maxLagNanos() / 2) {
            lagging = false;
        }
        if (lagging && !wasLagging) {
            lagAtStart = lag;
            if (spec.overload() == OverloadPolicy.BATCH) {
                log.warn("{} on stream '{}' is {} behind real time (more than {}): running the backlog in batches of up to {}",
                        spec.modelName(), stream, seconds(lag), seconds(spec.maxLagNanos()), spec.maxBatch());
            }
        } else if (!lagging && wasLagging && spec.overload() == OverloadPolicy.BATCH) {
            log.info("{} on stream '{}' has caught up ({} behind real time)", spec.modelName(), stream, seconds(Math.max(0, lag)));
        }
        if (lagging && spec.overload() == OverloadPolicy.SKIP) {
            skip(chunk, endNanos);
            return;
        }
        reportSkipped();
        mono = mixToMono(chunk, mono);
        feed(mono, chunk.frames(), chunk.captureTimeNanos());
        if (!lagging) {
            runPending();
        }
    }

    /**
     * Feeds mono samples at the stream's rate whose first was captured at {@code captureTimeNanos};
     * no lag check (the caller owns the timing).
     */
    public void process(float[] samples, int offset, int length, long captureTimeNanos) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (offset != 0) {
            samples = Arrays.copyOfRange(samples, offset, offset + length);
        }
        feed(samples, length, captureTimeNanos);
        runPending();
    }

    private void skip(AudioChunk chunk, long endNanos) {
        long first = samplesReceived;
        samplesReceived += chunk.frames();
        if (skipping == null) {
            skipping = new Skipped(stream, chunk.seq(), chunk.seq(), first, samplesReceived, chunk.captureTimeNanos(), endNanos);
        } else {
            skipping = new Skipped(stream, skipping.firstSeq(), chunk.seq(), skipping.firstSample(), samplesReceived,
                    skipping.firstCaptureNanos(), endNanos);
        }
    }

    /** Reports what was skipped, if anything, and restarts the model after it. */
    private void reportSkipped() {
        if (skipping == null) {
            return;
        }
        Skipped s = skipping;
        skipping = null;
        log.warn("{} on stream '{}' fell {} behind real time (more than {}): skipped chunks {}..{} ({} chunks, samples {}..{},"
                + " {} of audio) to catch up", spec.modelName(), stream, seconds(lagAtStart), seconds(spec.maxLagNanos()), s.firstSeq(),
                s.lastSeq(), s.chunks(), s.firstSample(), s.endSample(), seconds(s.endCaptureNanos() - s.firstCaptureNanos()));
        runPending();
        // Speech open before the skip ends before it is reported: the restart first, then the skip.
        restartAt(s.endSample());
        listener.onSkipped(s);
    }

    private void feed(float[] samples, int length, long captureTimeNanos) {
        anchorSample = samplesReceived;
        anchorNanos = captureTimeNanos;
        samplesReceived += length;
        if (resampler != null) {
            resampler.push(samples, 0, length, this::onModelSamples);
        } else {
            onModelSamples(samples, length, 0);
        }
    }

    private void onModelSamples(float[] samples, int length, long firstIndex) {
        if (framer != null) {
            framer.push(samples, 0, length, this::onFrame);
        } else {
            logMel.push(samples, 0, length, this::onColumn);
        }
    }

    private void onFrame(float[] frame, long index, long startSample) {
        enqueue(frame.clone(), startSample + spec.context());
    }

    private void onColumn(double[] column, long index) {
        if (skipColumns > 0) {
            // A hop longer than the window: the columns in between belong to no window.
            skipColumns--;
            return;
        }
        float[] c = new float[column.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) column[i];
        }
        if (columns.isEmpty()) {
            firstColumn = index;
        }
        columns.addLast(c);
        int frames = spec.window() / spec.melHop();
        if (columns.size() == frames) {
            // [nMels, frames], row-major: band b of column t at b * frames + t.
            float[] input = new float[inputLength];
            int t = 0;
            for (float[] col : columns) {
                for (int b = 0; b < spec.nMels(); b++) {
                    input[b * frames + t] = col[b];
                }
                t++;
            }
            enqueue(input, firstColumn * spec.melHop());
            int hopColumns = spec.hop() / spec.melHop();
            int drop = Math.min(columns.size(), hopColumns);
            for (int i = 0; i < drop; i++) {
                columns.removeFirst();
            }
            firstColumn += drop;
            skipColumns = hopColumns - drop;
        }
    }

    private void enqueue(float[] input, long modelStart) {
        long start = streamSample(modelStart);
        pending.add(new Pending(input, windows++, start, timeOf(start)));
        if (spec.overload() != OverloadPolicy.BATCH || pending.size() >= spec.maxBatch()) {
            runPending();
        }
    }

    /** The stream sample (counted over all received) at the time of model sample {@code m} of the current segment. */
    public long streamSample(long m) {
        return segmentBase + (resampler == null ? m : resampler.inputIndexAt(m));
    }

    /** The capture time of stream sample {@code s}: the newest chunk's time plus the offset at the stream's rate. */
    public long timeOf(long s) {
        return anchorNanos + Math.floorDiv((s - anchorSample) * 1_000_000_000L + streamRate / 2, streamRate);
    }

    private void runPending() {
        if (pending.isEmpty()) {
            return;
        }
        int batch = pending.size();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            float[] all = new float[batch * inputLength];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(pending.get(i).input(), 0, all, i * inputLength, inputLength);
            }
            long[] shape = spec.input() == ModelSpec.Input.SAMPLES ? new long[] {batch, inputLength}
                    : new long[] {batch, spec.nMels(), spec.window() / spec.melHop()};
            inputs.put(spec.inputName(), OnnxTensor.createTensor(model.env(), FloatBuffer.wrap(all), shape));
            for (int i = 0; i < stateValues.length; i++) {
                ModelSpec.State s = spec.states().get(i);
                inputs.put(s.input(), OnnxTensor.createTensor(model.env(), FloatBuffer.wrap(stateValues[i]), s.shape()));
            }
            for (ModelSpec.Constant c : spec.constants()) {
                long[] values = new long[Math.max(1, (int) Arrays.stream(c.shape()).reduce(1, (a, b) -> a * b))];
                Arrays.fill(values, c.value());
                inputs.put(c.name(), OnnxTensor.createTensor(model.env(), LongBuffer.wrap(values), c.shape()));
            }
            try (OrtSession.Result result = model.run(inputs)) {
                Map<String, float[]> flat = new HashMap<>();
                for (String name : spec.outputs()) {
                    flat.put(name, floats(result, name));
                }
                for (int i = 0; i < stateValues.length; i++) {
                    float[] next = floats(result, spec.states().get(i).output());
                    if (next.length != stateValues[i].length) {
                        throw new IllegalStateException(spec.modelName() + ": state output '" + spec.states().get(i).output() + "' has "
                                + next.length + " values, expected " + stateValues[i].length + " (the configured state shape is wrong)");
                    }
                    stateValues[i] = next;
                }
                runs++;
                windowsRun += batch;
                List<Pending> done = new ArrayList<>(pending);
                pending.clear();
                for (int i = 0; i < batch; i++) {
                    Map<String, float[]> outputs = new LinkedHashMap<>();
                    for (String name : spec.outputs()) {
                        float[] v = flat.get(name);
                        int per = v.length / batch;
                        outputs.put(name, Arrays.copyOfRange(v, i * per, (i + 1) * per));
                    }
                    Pending p = done.get(i);
                    listener.onOutput(new ModelOutput(stream, p.window(), p.startSample(), p.nanos(), outputs));
                }
            }
        } catch (OrtException e) {
            pending.clear();
            throw new IllegalStateException(spec.modelName() + " failed on stream '" + stream + "' (ONNX Runtime says: " + e.getMessage()
                    + "); check that the configured inputs match the model", e);
        } finally {
            inputs.values().forEach(OnnxValue::close);
        }
    }

    private float[] floats(OrtSession.Result result, String name) throws OrtException {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException(spec.modelName() + ": no output '" + name + "'"));
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException(spec.modelName() + ": output '" + name + "' is not a tensor");
        }
        FloatBuffer b = tensor.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    /** Runs what waits, reports what was skipped, and starts afresh: the next sample begins a new segment. */
    public void restart() {
        runPending();
        if (skipping != null) {
            reportSkipped();
        } else {
            restartAt(samplesReceived);
        }
        lastSeq = -1;
    }

    private void restartAt(long base) {
        // First, while positions still map to the segment that ends: the listener may report from it.
        listener.onRestart(stream);
        if (framer != null) {
            framer.reset();
        } else {
            logMel.reset();
            columns.clear();
            skipColumns = 0;
            firstColumn = 0;
        }
        if (resampler != null) {
            resampler.reset();
        }
        for (float[] s : stateValues) {
            Arrays.fill(s, 0f);
        }
        windows = 0;
        segmentBase = base;
    }

    /** Runs the windows that wait and reports what was skipped; call at the end of the stream. */
    public void finish() {
        runPending();
        reportSkipped();
    }

    /** Whether windows wait to be run (under {@link OverloadPolicy#BATCH}, while lagging). */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Runs the windows that wait now, whatever the lag: for when no more chunks are coming for a while. */
    public void flush() {
        runPending();
    }

    /** Samples of the stream received (processed or skipped). */
    public long samplesReceived() {
        return samplesReceived;
    }

    /** Where the current segment began, in stream samples. */
    public long segmentBase() {
        return segmentBase;
    }

    /** Model runs so far. */
    public long runs() {
        return runs;
    }

    /** Windows run so far. */
    public long windowsRun() {
        return windowsRun;
    }

    /** The stream's sample rate. */
    public int streamRate() {
        return streamRate;
    }

    static float[] mixToMono(AudioChunk chunk, float[] dst) {
        int frames = chunk.frames();
        int channels = chunk.channels();
        float[] interleaved = chunk.samples();
        float[] out = dst.length >= frames ? dst : new float[frames];
        if (channels == 1) {
            System.arraycopy(interleaved, 0, out, 0, frames);
            return out;
        }
        for (int f = 0; f < frames; f++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[f * channels + c];
            }
            out[f] = sum / channels;
        }
        return out;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    @Override
    public String toString() {
        return "StreamingModel{" + spec.modelName() + ", stream '" + stream + "', " + streamRate + " Hz, runs " + runs + "}";
    }
}
