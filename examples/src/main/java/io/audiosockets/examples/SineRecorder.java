package io.audiosockets.examples;

import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.recorder.Recorder;
import java.nio.file.Path;

public class SineRecorder {
    public static void main(String[] args) {
        // A 440 Hz sine, 16 kHz mono float, in real time: stream "default" in 0.5 s chunks until stopped.
        Recorder.fromFile(Path.of("server_info.json"), SyntheticSource.sine(440)).start();
    }
}
