package io.audiosockets.dsp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The librosa reference data in {@code shared/testdata/logmel}, beside the repository. Found by
 * walking up from the working directory, or at {@code -Daudiosockets.shared=DIR} (the shared
 * folder itself). Missing data fails the test: parity must never be skipped silently.
 */
final class RefData {
    private RefData() {
    }

    static Path dir() {
        String override = System.getProperty("audiosockets.shared");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override).resolve("testdata/logmel");
            if (Files.isRegularFile(p.resolve("manifest.json"))) {
                return p;
            }
            throw new IllegalStateException("-Daudiosockets.shared=" + override + " has no testdata/logmel/manifest.json");
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path p = d.resolve("shared/testdata/logmel");
            if (Files.isRegularFile(p.resolve("manifest.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("librosa reference data not found: no shared/testdata/logmel/manifest.json in "
                + start + " or any parent (the shared/ folder sits beside the repository; or pass -Daudiosockets.shared=DIR)");
    }

    static JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(dir().resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> entries() {
        List<JsonNode> out = new ArrayList<>();
        manifest().get("entries").forEach(out::add);
        return out;
    }

    static JsonNode entry(String name) {
        for (JsonNode e : entries()) {
            if (e.get("name").asText().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no entry " + name + " in manifest.json");
    }

    static float[] f32(String file) {
        ByteBuffer b = bytes(file);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    static double[] f64(String file) {
        ByteBuffer b = bytes(file);
        double[] out = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(out);
        return out;
    }

    /** A row-major [rows][cols] matrix file. */
    static double[][] matrix(String file, int rows, int cols) {
        double[] flat = f64(file);
        if (flat.length != rows * cols) {
            throw new IllegalStateException(file + " holds " + flat.length + " values (expected " + rows + " x " + cols + ")");
        }
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, m[r], 0, cols);
        }
        return m;
    }

    private static ByteBuffer bytes(String file) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(dir().resolve(file))).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double maxAbsDiff(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new AssertionError("rows " + a.length + " != " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                throw new AssertionError("row " + i + ": cols " + a[i].length + " != " + b[i].length);
            }
            for (int j = 0; j < a[i].length; j++) {
                double d = Math.abs(a[i][j] - b[i][j]);
                if (!(d <= max)) {
                    max = Double.isNaN(d) ? Double.NaN : d;
                    if (Double.isNaN(d)) {
                        return d;
                    }
                }
            }
        }
        return max;
    }
}
