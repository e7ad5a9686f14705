package io.audiosockets.bench;

import io.audiosockets.ml.OnnxModel;
import io.audiosockets.ml.SileroVad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory one loaded Silero VAD model costs: the process's resident set (Java heap and ONNX
 * Runtime's native memory) and the Java heap after GC, before anything, with ONNX Runtime loaded, after one model and
 * after loading {@code N} more (default 9), each model having run one window so that its buffers exist.
 * Not a JMH benchmark: it measures state, not time. Run:
 * {@code java -Xmx256m -cp audiosockets-bench/target/benchmarks.jar io.audiosockets.bench.ModelMemoryProbe [N]}
 */
public final class ModelMemoryProbe {
    private ModelMemoryProbe() {
    }

    /** Prints one line per step. */
    public static void main(String[] args) throws Exception {
        int more = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        float[] window = SpeechLikeSignal.generate(512);
        print("JVM, nothing loaded");
        // Load ONNX Runtime's native library and environment first: shared by all models, counted apart.
        OnnxModel warm = SileroVad.loadBuiltIn(OnnxModel.Device.CPU);
        run(warm, window);
        warm.close();
        print("ONNX Runtime loaded, no model");
        List<OnnxModel> models = new ArrayList<>();
        models.add(run(SileroVad.loadBuiltIn(OnnxModel.Device.CPU), window));
        print("1 model");
        for (int i = 0; i < more; i++) {
            models.add(run(SileroVad.loadBuiltIn(OnnxModel.Device.CPU), window));
        }
        print((1 + more) + " models");
        models.forEach(OnnxModel::close);
    }

    private static OnnxModel run(OnnxModel model, float[] window) {
        new SileroVad(model, "probe", 16000, SileroVad.Config.DEFAULT, e -> { }, () -> 0L).process(window, 0, window.length, 0);
        return model;
    }

    private static void print(String step) throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        double heap = (r.totalMemory() - r.freeMemory()) / 1048576.0;
        long rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        System.out.printf(Locale.ROOT, "%-30s RSS %7.1f MiB   heap after GC %6.1f MiB%n", step, rssKb / 1024.0, heap);
    }
}
