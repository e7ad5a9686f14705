package io.audiosockets.ml;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded ONNX model: an ONNX Runtime session on the CPU or, if asked and available, on CUDA.
 * Loading checks what can be checked before the first chunk: the file exists, is an ONNX model,
 * and (for the built-in models) has the expected SHA-256. Every failure is an
 * {@link IllegalArgumentException} that names the file and says what to do.
 *
 * <p>A session may be run from one thread at a time here: each processor owns its model.
 */
public final class OnnxModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OnnxModel.class);

    /** Where a model runs. */
    public enum Device {
        /** ONNX Runtime's CPU provider (always there). */
        CPU,
        /** NVIDIA CUDA, when the onnxruntime_gpu build and a GPU are present; otherwise CPU, with one log line. */
        CUDA
    }

    private final String description;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Device device;

    private OnnxModel(String description, OrtSession session, Device device) {
        this.description = description;
        this.env = OrtEnvironment.getEnvironment();
        this.session = session;
        this.device = device;
    }

    /**
     * Loads the model in {@code file}.
     *
     * @param threads ONNX Runtime's intra-op threads (1 keeps one model on one core)
     * @throws IllegalArgumentException if the file is missing, unreadable or not an ONNX model
     */
    public static OnnxModel load(Path file, Device device, int threads) {
        Objects.requireNonNull(file, "file == null");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model file " + file + ": not found (give the path of an existing .onnx file)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("model file " + file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return load("model file " + file, bytes, device, threads);
    }

    /**
     * Loads a model shipped as a class-path resource, checking its SHA-256 first.
     *
     * @throws IllegalArgumentException if the resource is missing or its SHA-256 is not {@code sha256}
     */
    public static OnnxModel loadResource(Class<?> anchor, String resource, String sha256, Device device, int threads) {
        byte[] bytes;
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("built-in model " + resource + ": not on the class path (the jar is incomplete; rebuild it)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("built-in model " + resource + ": cannot be read (" + e.getMessage() + ")", e);
        }
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new IllegalArgumentException("built-in model " + resource + ": SHA-256 is " + actual + ", expected " + sha256
                    + " (the file is damaged or was replaced; rebuild the jar)");
        }
        return load("built-in model " + resource, bytes, device, threads);
    }

    private static OnnxModel load(String description, byte[] bytes, Device device, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads : " + threads + " (expected: >= 1)");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Device used = device;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            if (device == Device.CUDA) {
                try {
                    options.addCUDA(0);
                } catch (OrtException | RuntimeException | LinkageError e) {
                    log.warn("{}: CUDA is not available ({}); running on the CPU", description, e.getMessage());
                    used = Device.CPU;
                }
            }
            return new OnnxModel(description, env.createSession(bytes, options), used);
        } catch (OrtException e) {
            throw new IllegalArgumentException(description + ": not a valid ONNX model (ONNX Runtime says: " + e.getMessage() + ")", e);
        }
    }

    /** The SHA-256 of {@code bytes} in lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** Where the model came from, for messages: "model file X" or "built-in model X". */
    public String description() {
        return description;
    }

    /** The device the session runs on (CPU when CUDA was asked for but is not there). */
    public Device device() {
        return device;
    }

    /** The environment tensors are created in. */
    OrtEnvironment env() {
        return env;
    }

    /**
     * Checks that the model has a float or int64 tensor input {@code name} of {@code rank}
     * dimensions.
     *
     * @throws IllegalArgumentException naming the model, the input and what the model has instead
     */
    public void requireInput(String name, int rank, ai.onnxruntime.OnnxJavaType type) {
        requireTensor("input", (Nodes) session::getInputInfo, name, rank, type);
    }

    /** As {@link #requireInput}, for an output. */
    public void requireOutput(String name, int rank, ai.onnxruntime.OnnxJavaType type) {
        requireTensor("output", (Nodes) session::getOutputInfo, name, rank, type);
    }

    private void requireTensor(String what, Nodes nodes, String name, int rank, ai.onnxruntime.OnnxJavaType type) {
        requireTensor(what, infos(nodes), name, rank, type);
    }

    /** The session's input or output infos. */
    @FunctionalInterface
    private interface Nodes {
        Map<String, NodeInfo> get() throws OrtException;
    }

    private Map<String, NodeInfo> infos(Nodes nodes) {
        try {
            return nodes.get();
        } catch (OrtException e) {
            throw new IllegalArgumentException(description + ": cannot read the model's inputs and outputs (" + e.getMessage() + ")", e);
        }
    }

    private void requireTensor(String what, Map<String, NodeInfo> nodes, String name, int rank, ai.onnxruntime.OnnxJavaType type) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException(description + ": has no " + what + " '" + name + "' (its " + what + "s: " + describe(nodes)
                    + "); configure the names the model has");
        }
        if (!(node.getInfo() instanceof TensorInfo info) || info.type != type || (rank >= 0 && info.getShape().length != rank)) {
            throw new IllegalArgumentException(description + ": " + what + " '" + name + "' is " + node.getInfo() + ", expected a "
                    + type + " tensor" + (rank >= 0 ? " of rank " + rank : ""));
        }
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        StringBuilder b = new StringBuilder();
        nodes.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v.getInfo()));
        return b.toString();
    }

    /** Runs the model; the caller closes the result. */
    OrtSession.Result run(Map<String, OnnxTensor> inputs) throws OrtException {
        return session.run(inputs);
    }

    /** Closes the session. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            log.debug("{}: closing the session failed", description, e);
        }
    }

    @Override
    public String toString() {
        return "OnnxModel{" + description + ", " + device + "}";
    }
}
