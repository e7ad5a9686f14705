package io.audiosockets.examples;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import java.nio.file.Path;

/** A processor that opted out of the shutdown hook: run as a separate JVM by {@link ExamplesRunTest}. */
final class NoHookProcessor {
    private NoHookProcessor() {
    }

    /** Runs processor "nohook" from {@code server_info.json} until the JVM ends. */
    public static void main(String[] args) {
        ProcessorOptions options = ProcessorOptions.builder("nohook").config(NetworkConfig.load(Path.of("server_info.json")))
                .shutdownHook(false).build();
        new BaseProcessor(options) {
            @Override
            protected void onStart() {
                System.out.println("nohook: started");
            }

            @Override
            protected void processData(AudioChunk chunk) {
            }

            @Override
            protected void onStop() {
                System.out.println("nohook: onStop");
            }
        }.start();
    }
}
