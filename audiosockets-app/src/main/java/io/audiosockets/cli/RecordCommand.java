package io.audiosockets.cli;

import io.audiosockets.audio.AudioSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audiosockets record}: streams a source to the mailman. The paper's {@code RecorderSocket}. */
@Command(name = "record", aliases = "recorder", description = "Capture audio and stream it to the mailman in chunks.")
final class RecordCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Mixin
    SourceOptions sourceOptions;

    @Option(names = "--stream", paramLabel = "NAME", defaultValue = RecorderOptions.DEFAULT_STREAM,
            description = "Stream name processors see (letters, digits, '.', '_', '-'). Default: ${DEFAULT-VALUE}.")
    String stream;

    @Option(names = "--period", paramLabel = "SECONDS", defaultValue = "0.5",
            description = "Chunk length in seconds, as in the paper (0.02 works). Default: ${DEFAULT-VALUE}.")
    double period;

    @Override
    public Integer call() throws Exception {
        NetworkConfig config = network.load();
        AudioSource source = sourceOptions.open(System.in);
        Recorder recorder = new Recorder(source, RecorderOptions.builder().stream(stream).period(seconds("--period", period)).config(config).build());
        Thread hook = new Thread(recorder::close, "recorder-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        recorder.start();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is already closing the recorder
        }
        return 0;
    }

    /** {@code s} seconds as a duration; {@code option} names the flag in the error. */
    static Duration seconds(String option, double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(option + " " + s + ": expected a positive number of seconds");
        }
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
