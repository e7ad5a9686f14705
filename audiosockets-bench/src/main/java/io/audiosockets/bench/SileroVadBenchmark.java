package io.audiosockets.bench;

import io.audiosockets.dsp.SpeechEvent;
import io.audiosockets.dsp.VoiceActivityDetector;
import io.audiosockets.ml.OnnxModel;
import io.audiosockets.ml.SileroVad;
import io.audiosockets.ml.VadEventSink;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Silero VAD v5 (ONNX Runtime, CPU, one intra-op thread) beside the energy detector, on one
 * core, in microseconds per operation:
 * <ul>
 *   <li>{@code sileroWindow}: one 32 ms window (512 samples at 16 kHz) through {@link SileroVad}:
 *       framing, one model run with state and context, {@code get_speech_timestamps}; real-time
 *       multiple = 32 000 / score;</li>
 *   <li>{@code sileroChunk20ms} and {@code energyChunk20ms}: a 20 ms chunk (320 samples) through each
 *       detector, as a processor fed 20 ms chunks does it (Silero runs a window every 1.6 chunks);
 *       real-time multiple = 20 000 / score.</li>
 * </ul>
 * Input: {@link SpeechLikeSignal}, 10 s at 16 kHz, gone through in order and wrapped around. Run:
 * {@code java -jar audiosockets-bench/target/benchmarks.jar SileroVadBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class SileroVadBenchmark {
    static final int SIGNAL_SAMPLES = 10 * SpeechLikeSignal.SAMPLE_RATE;

    float[] signal;
    OnnxModel model;
    SileroVad silero;
    VoiceActivityDetector energy;
    int windowAt;
    int chunkAt;
    int energyAt;
    long time;
    private Blackhole hole;

    /** Loads the model once per trial and builds both detectors. */
    @Setup
    public void setUp(Blackhole bh) {
        hole = bh;
        signal = SpeechLikeSignal.generate(SIGNAL_SAMPLES);
        model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU);
        VadEventSink sink = new VadEventSink() {
            @Override
            public void onSpeechEvent(SpeechEvent e) {
                hole.consume(e);
            }

            @Override
            public void onProbability(String stream, long sample, long timeNanos, float p) {
                hole.consume(p);
            }
        };
        silero = new SileroVad(model, "bench", SpeechLikeSignal.SAMPLE_RATE, SileroVad.Config.DEFAULT, sink, () -> 0L);
        energy = new VoiceActivityDetector(SpeechLikeSignal.SAMPLE_RATE);
    }

    /** Closes the model. */
    @TearDown
    public void tearDown() {
        model.close();
    }

    /** One 32 ms window through the Silero detector. Real-time multiple = 32 000 / score (us/op). */
    @Benchmark
    public void sileroWindow() {
        // 10 s is 312.5 windows: wrap at a window boundary so every op is exactly one window.
        if (windowAt + 512 > SIGNAL_SAMPLES) {
            windowAt = 0;
        }
        silero.process(signal, windowAt, 512, time += 32_000_000L);
        windowAt += 512;
    }

    /** One 20 ms chunk through the Silero detector. Real-time multiple = 20 000 / score (us/op). */
    @Benchmark
    public void sileroChunk20ms() {
        if (chunkAt + 320 > SIGNAL_SAMPLES) {
            chunkAt = 0;
        }
        silero.process(signal, chunkAt, 320, time += 20_000_000L);
        chunkAt += 320;
    }

    /** One 20 ms chunk through the energy detector. Real-time multiple = 20 000 / score (us/op). */
    @Benchmark
    public List<SpeechEvent> energyChunk20ms() {
        if (energyAt + 320 > SIGNAL_SAMPLES) {
            energyAt = 0;
        }
        List<SpeechEvent> events = energy.process(signal, energyAt, 320, time += 20_000_000L);
        energyAt += 320;
        return events;
    }
}
