package io.audiosockets.examples;

import io.audiosockets.processor.BaseProcessor;
import java.nio.file.Path;

public class Meter {
    public static void main(String[] args) {
        BaseProcessor.of("meter", Path.of("server_info.json"), chunk -> {
            float[] samples = chunk.samples();   // interleaved, in [-1, 1)
            double sum = 0;
            for (float s : samples) {
                sum += s * s;
            }
            System.out.printf("%s #%d rms %.3f%n", chunk.stream(), chunk.seq(), Math.sqrt(sum / samples.length));
        }).start();
    }
}
