package io.audiosockets.examples;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.protocol.Gap;
import java.nio.file.Path;

public class Counter extends BaseProcessor {
    private long chunks;
    private long missing;

    public Counter(String name, Path config) {
        super(name, config);
    }

    @Override
    protected void onStart() {
        System.out.println(name() + ": counting");
    }

    @Override
    protected void processData(AudioChunk chunk) {
        chunks++;
    }

    @Override
    protected void onGap(Gap gap) {
        missing += gap.count();   // chunks that will never come; gap.reason() says why
    }

    @Override
    protected void onStop() {      // also on Ctrl-C: start() said goodbye to the mailman first
        System.out.println(name() + ": " + chunks + " chunks, " + missing + " missing");
    }

    public static void main(String[] args) {
        new Counter("counter", Path.of("server_info.json")).start();
    }
}
