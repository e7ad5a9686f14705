package io.audiosockets.examples;

import io.audiosockets.processor.BaseProcessor;
import java.nio.file.Path;

public class Meter {
    public static void main(String[] args) {
        BaseProcessor.of("meter", Path.of("server_info.json"), chunk -> {
            double sum = 0;
            for (float s : chunk.samples()) {
                sum += s * s;
            }
            double rms = Math.sqrt(sum / chunk.samples().length);
            System.out.printf("%s #%d rms %.3f%n", chunk.stream(), chunk.seq(), rms);
        }).start();
    }
}
