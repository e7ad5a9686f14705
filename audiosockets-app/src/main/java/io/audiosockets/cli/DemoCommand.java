package io.audiosockets.cli;

import io.audiosockets.audio.AudioSource;
import io.audiosockets.builtin.LevelProcessor;
import io.audiosockets.builtin.LineSink;
import io.audiosockets.builtin.VadProcessor;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.dsp.VoiceActivityDetector;
import io.audiosockets.http.MailmanHttp;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audiosockets demo}: the whole system in one process, with nothing to set up. A mailman
 * on a free loopback port, a recorder streaming a synthetic signal (a tone switched on and off
 * every second, by default), and two processors: a level meter and a voice activity detector,
 * printing live. Ends by itself after {@code --seconds}, with a summary.
 */
@Command(name = "demo", description = "Run a mailman, a recorder and two processors (level, voice activity) in one process, "
        + "on a synthetic signal: no microphone, no server to start.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions sourceOptions;

    @Option(names = "--period", paramLabel = "SECONDS", defaultValue = "0.1",
            description = "Chunk length in seconds. Default: ${DEFAULT-VALUE}.")
    double period;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warning",
            description = "Log level of the embedded components (the demo's own lines go to stdout). Default: ${DEFAULT-VALUE}.")
    String logLevel;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the live dashboard (and /metrics, /api/status); 0 picks a free one, -1 for none. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Override
    public Integer call() throws Exception {
        if (sourceOptions.seconds == null) {
            sourceOptions.seconds = 10.0;
        }
        NetworkOptions network = new NetworkOptions();
        network.host = "127.0.0.1";
        network.port = 0; // any free port: the demo never collides with a real mailman
        network.logLevel = logLevel;
        NetworkConfig serverConfig = network.load();
        LineSink out = ProcessCommand.stdout(spec.commandLine().getOut());
        AudioSource source = sourceOptions.open(System.in);
        Mailman mailman = new Mailman(serverConfig).startAsync();
        MailmanHttp http = httpPort < 0 ? null : startHttp(mailman);
        NetworkConfig config = serverConfig.toBuilder().port(mailman.port()).build();
        out.line("demo: mailman on 127.0.0.1:" + mailman.port() + "; recorder 'demo' streaming " + source.describe()
                + " in " + period + " s chunks; processors 'level' and 'vad'");
        if (http != null) {
            out.line("demo: dashboard " + http.url() + " (live while the demo runs; --seconds makes it longer)");
        }
        List<BaseProcessor> processors = List.of(
                new LevelProcessor(ProcessorOptions.builder("level").config(config).build(), out),
                new VadProcessor(ProcessorOptions.builder("vad").config(config).build(), VoiceActivityDetector.Config.DEFAULT, out));
        Recorder recorder = new Recorder(source, RecorderOptions.builder().stream("demo")
                .period(Seconds.of("--period", period)).config(config).build());
        // Ctrl-C ends the recording early; the hook then lets this thread finish the summary and
        // close everything, since the JVM halts as soon as the hooks return.
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            recorder.close();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (BaseProcessor p : processors) {
                p.startAsync().connected().get(10, TimeUnit.SECONDS);
            }
            try (recorder) {
                recorder.start();
            }
            awaitProcessed(processors, recorder.chunksAcknowledged());
            out.line(String.format("demo: %d chunks captured, %d acknowledged by the mailman; level processed %d, "
                            + "vad processed %d; %d chunks lost", recorder.chunksCaptured(), recorder.chunksAcknowledged(),
                    processors.get(0).processed(), processors.get(1).processed(),
                    processors.get(0).gapChunks() + processors.get(1).gapChunks()));
            return 0;
        } finally {
            recorder.close();
            processors.forEach(BaseProcessor::close);
            if (http != null) {
                http.close();
            }
            mailman.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for us
            }
        }
    }

    private MailmanHttp startHttp(Mailman mailman) {
        try {
            return MailmanHttp.start(mailman, "127.0.0.1", httpPort);
        } catch (RuntimeException e) {
            mailman.close();
            throw e;
        }
    }

    /** Lets the processors finish the last chunks the mailman holds (at most 5 s) before closing them. */
    private static void awaitProcessed(List<BaseProcessor> processors, long chunks) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (BaseProcessor p : processors) {
            while (p.processed() + p.gapChunks() < chunks) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("processor '" + p.name() + "' processed " + p.processed() + " of " + chunks + " chunks in 5 s");
                }
                Thread.sleep(10);
            }
        }
    }
}
