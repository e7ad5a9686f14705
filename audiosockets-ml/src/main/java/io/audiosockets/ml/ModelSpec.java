package io.audiosockets.ml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ModelProcessor} feeds a model and what it keeps of the outputs: built with
 * {@link #builder(Path)}, checked against the model when it is loaded. Immutable.
 *
 * <p>The stream's mono mix (resampled to {@link #sampleRate()} when the stream has another rate)
 * is cut into windows of {@link #window()} samples every {@link #hop()} samples, continuing
 * across chunk boundaries. With {@link Input#SAMPLES} the input tensor is {@code [batch, context + window]}:
 * each window behind the last {@link #context()} samples before it (zeros before the stream's first).
 * With {@link Input#LOG_MEL} it is {@code [batch, nMels, window / melHop]}: the window's columns of the
 * project's log-mel spectrogram ({@code StreamingLogMel}, 25 ms windows every 10 ms), window and hop
 * being multiples of the 10 ms hop.
 */
public final class ModelSpec {
    /** What the model's input tensor holds. */
    public enum Input {
        /** The samples themselves, normalised to [-1, 1]: {@code [batch, context + window]}. */
        SAMPLES,
        /** Log-mel columns: {@code [batch, nMels, frames]}. */
        LOG_MEL
    }

    /** Loads the model; called once per processor. */
    @FunctionalInterface
    public interface Loader {
        /** Loads it for {@code device} with {@code threads} intra-op threads. */
        OnnxModel load(OnnxModel.Device device, int threads);
    }

    /**
     * A recurrent state: output {@code output} of one window is input {@code input} of the next; zeros at first.
     *
     * @param input the state's input name
     * @param output the state's output name
     * @param shape its shape, batch 1
     */
    public record State(String input, String output, long[] shape) {
        /** The number of floats in it. */
        public int size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return Math.toIntExact(n);
        }
    }

    /**
     * An int64 input that is the same for every window (e.g. Silero's {@code sr}).
     *
     * @param name the input's name
     * @param value its value
     * @param shape its shape ({@code []} for a scalar)
     */
    public record Constant(String name, long value, long[] shape) {
    }

    private final Loader loader;
    private final String modelName;
    private final Input input;
    private final String inputName;
    private final int window;
    private final int hop;
    private final int context;
    private final int sampleRate;
    private final int nMels;
    private final List<State> states;
    private final List<Constant> constants;
    private final List<String> outputs;
    private final OnnxModel.Device device;
    private final int threads;
    private final OverloadPolicy overload;
    private final long maxLagNanos;
    private final int maxBatch;

    private ModelSpec(Builder b) {
        this.loader = Objects.requireNonNull(b.loader, "loader == null");
        this.modelName = b.modelName;
        this.input = b.input;
        this.inputName = Objects.requireNonNull(b.inputName, "no input: call samples(...) or logMel(...)");
        this.window = b.window;
        this.hop = b.hop;
        this.context = b.context;
        this.sampleRate = b.sampleRate;
        this.nMels = b.nMels;
        this.states = List.copyOf(b.states);
        this.constants = List.copyOf(b.constants);
        this.outputs = List.copyOf(b.outputs);
        this.device = b.device;
        this.threads = b.threads;
        this.overload = b.overload;
        this.maxLagNanos = b.maxLag.toNanos();
        this.maxBatch = b.maxBatch;
        if (window <= 0 || hop <= 0) {
            throw new IllegalArgumentException(modelName + ": window " + window + ", hop " + hop + " samples (expected: both > 0)");
        }
        if (context < 0) {
            throw new IllegalArgumentException(modelName + ": context " + context + " samples (expected: >= 0)");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException(modelName + ": sample rate " + sampleRate + " Hz (expected: > 0)");
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException(modelName + ": no output configured (call output(name) for each output to keep)");
        }
        if (input == Input.LOG_MEL) {
            int melHop = melHop();
            if (window % melHop != 0 || hop % melHop != 0 || context != 0) {
                throw new IllegalArgumentException(modelName + ": log-mel input needs window and hop in multiples of " + melHop
                        + " samples (10 ms at " + sampleRate + " Hz) and no context; got window " + window + ", hop " + hop
                        + ", context " + context);
            }
        }
        if (overload == OverloadPolicy.BATCH && !states.isEmpty()) {
            throw new IllegalArgumentException(modelName + ": overload policy BATCH needs a model without state (a recurrent model's"
                    + " windows depend on each other and cannot share a batch); use SKIP");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException(modelName + ": maxBatch " + maxBatch + " (expected: >= 1)");
        }
        if (maxLagNanos <= 0) {
            throw new IllegalArgumentException(modelName + ": maxLag " + b.maxLag + " (expected: > 0)");
        }
    }

    /** A builder for the model in {@code file}. */
    public static Builder builder(Path file) {
        Objects.requireNonNull(file, "file == null");
        return new Builder((device, threads) -> OnnxModel.load(file, device, threads), "model file " + file);
    }

    /** A builder for a model loaded by {@code loader} (e.g. a built-in resource), called {@code name} in messages. */
    public static Builder builder(Loader loader, String name) {
        return new Builder(loader, name);
    }

    /** The log-mel hop in samples: 10 ms. */
    int melHop() {
        return (int) Math.round(sampleRate * 0.010);
    }

    /** Loads the model and checks it against this spec. */
    OnnxModel load() {
        OnnxModel model = loader.load(device, threads);
        try {
            model.requireInput(inputName, input == Input.SAMPLES ? 2 : 3, ai.onnxruntime.OnnxJavaType.FLOAT);
            for (State s : states) {
                model.requireInput(s.input(), s.shape().length, ai.onnxruntime.OnnxJavaType.FLOAT);
                model.requireOutput(s.output(), s.shape().length, ai.onnxruntime.OnnxJavaType.FLOAT);
            }
            for (Constant c : constants) {
                model.requireInput(c.name(), c.shape().length, ai.onnxruntime.OnnxJavaType.INT64);
            }
            for (String o : outputs) {
                model.requireOutput(o, -1, ai.onnxruntime.OnnxJavaType.FLOAT);
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The model's name in messages. */
    public String modelName() {
        return modelName;
    }

    /** What the input tensor holds. */
    public Input input() {
        return input;
    }

    /** The input tensor's name. */
    public String inputName() {
        return inputName;
    }

    /** New samples per window, at {@link #sampleRate()}. */
    public int window() {
        return window;
    }

    /** Samples from one window's start to the next. */
    public int hop() {
        return hop;
    }

    /** Samples before each window that go in with it ({@link Input#SAMPLES} only). */
    public int context() {
        return context;
    }

    /** The rate the model needs; other rates are resampled. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Mel bands ({@link Input#LOG_MEL} only). */
    public int nMels() {
        return nMels;
    }

    /** The recurrent states carried from window to window. */
    public List<State> states() {
        return states;
    }

    /** The constant inputs. */
    public List<Constant> constants() {
        return constants;
    }

    /** The outputs kept, in order. */
    public List<String> outputs() {
        return outputs;
    }

    /** The device asked for. */
    public OnnxModel.Device device() {
        return device;
    }

    /** ONNX Runtime intra-op threads. */
    public int threads() {
        return threads;
    }

    /** What happens when the model is slower than real time. */
    public OverloadPolicy overload() {
        return overload;
    }

    /** How far behind real time a chunk may be before the processor counts as lagging. */
    public long maxLagNanos() {
        return maxLagNanos;
    }

    /** The most windows run at once under {@link OverloadPolicy#BATCH}. */
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public String toString() {
        return "ModelSpec{" + modelName + ", " + input + " '" + inputName + "', window " + window + ", hop " + hop + ", context "
                + context + " at " + sampleRate + " Hz, states " + states.size() + ", outputs " + outputs + ", " + overload + "}";
    }

    /** Builds a {@link ModelSpec}; every setter returns the builder. */
    public static final class Builder {
        private final Loader loader;
        private final String modelName;
        private Input input = Input.SAMPLES;
        private String inputName;
        private int window;
        private int hop;
        private int context;
        private int sampleRate = 16000;
        private int nMels = 128;
        private final List<State> states = new ArrayList<>();
        private final List<Constant> constants = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();
        private OnnxModel.Device device = OnnxModel.Device.CPU;
        private int threads = 1;
        private OverloadPolicy overload = OverloadPolicy.SKIP;
        private Duration maxLag = Duration.ofSeconds(2);
        private int maxBatch = 16;

        private Builder(Loader loader, String modelName) {
            this.loader = Objects.requireNonNull(loader, "loader == null");
            this.modelName = Objects.requireNonNull(modelName, "name == null");
        }

        /** Raw samples into input {@code name}, {@code window} new samples per window; hop defaults to the window. */
        public Builder samples(String name, int window) {
            this.input = Input.SAMPLES;
            this.inputName = name;
            this.window = window;
            if (hop == 0) {
                hop = window;
            }
            return this;
        }

        /** Log-mel columns ({@code nMels} bands) into input {@code name}, windows of {@code window} samples. */
        public Builder logMel(String name, int window, int nMels) {
            this.input = Input.LOG_MEL;
            this.inputName = name;
            this.window = window;
            this.nMels = nMels;
            if (hop == 0) {
                hop = window;
            }
            return this;
        }

        /** Samples from one window's start to the next. */
        public Builder hop(int samples) {
            this.hop = samples;
            return this;
        }

        /** Samples before each window fed with it (Silero v5: 64 at 16 kHz). */
        public Builder context(int samples) {
            this.context = samples;
            return this;
        }

        /** The rate the model needs (default 16000 Hz). */
        public Builder sampleRate(int hz) {
            this.sampleRate = hz;
            return this;
        }

        /** Carries output {@code output} into input {@code input} from window to window, zeros at first. */
        public Builder state(String input, String output, long... shape) {
            states.add(new State(input, output, shape.clone()));
            return this;
        }

        /** An int64 input with the same value every window; no dimensions for a scalar. */
        public Builder constant(String name, long value, long... shape) {
            constants.add(new Constant(name, value, shape.clone()));
            return this;
        }

        /** Keeps output {@code name}. */
        public Builder output(String name) {
            outputs.add(name);
            return this;
        }

        /** CPU (default) or CUDA (falls back to the CPU with a log line when CUDA is not there). */
        public Builder device(OnnxModel.Device d) {
            this.device = Objects.requireNonNull(d, "device == null");
            return this;
        }

        /** ONNX Runtime intra-op threads (default 1). */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** The overload policy (default {@link OverloadPolicy#SKIP}) and the lag that triggers it (default 2 s). */
        public Builder overload(OverloadPolicy policy, Duration maxLag) {
            this.overload = Objects.requireNonNull(policy, "policy == null");
            this.maxLag = Objects.requireNonNull(maxLag, "maxLag == null");
            return this;
        }

        /** The most windows run at once under {@link OverloadPolicy#BATCH} (default 16). */
        public Builder maxBatch(int n) {
            this.maxBatch = n;
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public ModelSpec build() {
            return new ModelSpec(this);
        }
    }
}
