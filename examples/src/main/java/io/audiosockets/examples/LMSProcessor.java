package io.audiosockets.examples;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.Downmix;
import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.processor.BaseProcessor;
import java.nio.file.Path;

public class LMSProcessor extends BaseProcessor {
    public LMSProcessor(String name, Path config) {
        super(name, config);
    }

    @Override
    protected void processData(AudioChunk chunk) {
        float[] audio = Downmix.toMono(chunk.samples(), chunk.channels());     // channels mixed to mono
        double[][] lms = new LogMelSpectrogram(chunk.sampleRate()).compute(audio);
        System.out.println(lms.length + " x " + lms[0].length);   // (128, frames), like lms.shape
    }

    public static void main(String[] args) {
        new LMSProcessor("VAD", Path.of("server_info.json")).start();
    }
}
