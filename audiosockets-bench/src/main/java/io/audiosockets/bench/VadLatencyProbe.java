package io.audiosockets.bench;

import io.audiosockets.audio.WavFileSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.dsp.Downmix;
import io.audiosockets.dsp.SpeechEvent;
import io.audiosockets.dsp.VoiceActivityDetector;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.ml.ModelProcessor;
import io.audiosockets.ml.OnnxModel;
import io.audiosockets.ml.SileroVad;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End to end at 20 ms chunks, Silero beside the energy detector: a mailman, a recorder playing a
 * 16 kHz mono WAV in a loop at real-time pace, and two processors in this JVM, one per detector.
 * For each chunk: from the capture of its last sample to the end of its processing (the detector's
 * verdict on it is then known). For each speech event: from the capture of its boundary sample to
 * its report (this includes what the detector waits for by design: Silero confirms a start after
 * 250 ms of speech and an end after 100 ms of silence; the energy detector after 100 ms and 200 ms).
 * Prints p50, p99 and max. Not JMH: it runs at real-time pace. Run:
 * {@code java -cp audiosockets-bench/target/benchmarks.jar io.audiosockets.bench.VadLatencyProbe FILE.wav [SECONDS]}
 */
public final class VadLatencyProbe {
    private VadLatencyProbe() {
    }

    /** Runs the probe for SECONDS (default 60) and prints one line per measure. */
    public static void main(String[] args) throws Exception {
        Path wav = Path.of(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Mailman mailman = new Mailman(NetworkConfig.builder().port(0).build()).startAsync();
        NetworkConfig config = NetworkConfig.builder().port(mailman.port()).build();
        List<Long> sileroChunks = Collections.synchronizedList(new ArrayList<>());
        List<Long> sileroEvents = Collections.synchronizedList(new ArrayList<>());
        List<Long> energyChunks = Collections.synchronizedList(new ArrayList<>());
        List<Long> energyEvents = Collections.synchronizedList(new ArrayList<>());
        OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU);
        Map<String, SileroVad> silero = new HashMap<>();
        Map<String, VoiceActivityDetector> energy = new HashMap<>();
        BaseProcessor sileroProcessor = BaseProcessor.of(ProcessorOptions.builder("silero").config(config).build(), chunk -> {
            silero.computeIfAbsent(chunk.stream(), s -> new SileroVad(model, s, chunk.sampleRate(), SileroVad.Config.DEFAULT,
                    e -> sileroEvents.add(ModelProcessor.systemEpochNanos() - e.timeNanos()), ModelProcessor::systemEpochNanos))
                    .process(chunk);
            sileroChunks.add(ModelProcessor.systemEpochNanos() - chunk.captureTimeNanos() - chunk.durationNanos());
        });
        BaseProcessor energyProcessor = BaseProcessor.of(ProcessorOptions.builder("energy").config(config).build(), chunk -> {
            VoiceActivityDetector vad = energy.computeIfAbsent(chunk.stream(),
                    s -> new VoiceActivityDetector(s, chunk.sampleRate(), VoiceActivityDetector.Config.DEFAULT));
            float[] mono = Downmix.toMono(chunk.samples(), chunk.channels());
            for (SpeechEvent e : vad.process(mono, 0, mono.length, chunk.captureTimeNanos())) {
                energyEvents.add(ModelProcessor.systemEpochNanos() - e.timeNanos());
            }
            energyChunks.add(ModelProcessor.systemEpochNanos() - chunk.captureTimeNanos() - chunk.durationNanos());
        });
        sileroProcessor.startAsync().connected().join();
        energyProcessor.startAsync().connected().join();
        Recorder recorder = new Recorder(new WavFileSource(wav, true, true), RecorderOptions.builder().config(config).stream("mic")
                .period(Duration.ofMillis(20)).build()).startAsync();
        Thread.sleep(seconds * 1000L);
        recorder.close();
        Thread.sleep(1000);
        sileroProcessor.close();
        energyProcessor.close();
        mailman.close();
        model.close();
        print("silero, chunk capture to verdict", sileroChunks);
        print("energy, chunk capture to verdict", energyChunks);
        print("silero, boundary capture to event", sileroEvents);
        print("energy, boundary capture to event", energyEvents);
    }

    private static void print(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.println(what + ": no samples");
            return;
        }
        System.out.printf(Locale.ROOT, "%-36s n %6d   p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms%n", what, sorted.size(),
                at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double at(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
    }
}
