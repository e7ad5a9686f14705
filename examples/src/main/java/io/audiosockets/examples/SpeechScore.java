package io.audiosockets.examples;

import io.audiosockets.ml.ModelProcessor;
import io.audiosockets.ml.ModelSpec;
import java.nio.file.Path;

public class SpeechScore {
    public static void main(String[] args) {
        ModelSpec spec = ModelSpec.builder(Path.of("model.onnx"))  // here the Silero VAD v5
                .samples("input", 512).context(64)   // 512 new samples a window, behind the 64 before them
                .sampleRate(16000)                   // streams at other rates are resampled
                .state("state", "stateN", 2, 1, 128) // carried from each window to the next
                .constant("sr", 16000)
                .output("output")
                .build();
        new ModelProcessor("scorer", Path.of("server_info.json"), spec, out ->
                System.out.printf("%s sample %d p %.2f%n", out.stream(), out.startSample(), out.first("output"))).start();
    }
}
