package io.audiosockets.bench;

import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.dsp.StreamingLogMel;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The log-mel spectrogram of the paper's processor ({@code LogMelSpectrogram(16000)}: 128 mels,
 * 25 ms = 400-sample window and FFT, 10 ms = 160-sample hop) on one core, in microseconds per
 * operation. Every benchmark states how much audio one operation covers, so that
 *
 * <pre>
 * real-time multiple = audio seconds per op / seconds per op = audio microseconds per op / score (us/op)
 * </pre>
 *
 * (0.5 s chunk: 500 000 / score; 20 ms chunk: 20 000 / score). One thread ({@code @Threads(1)}),
 * one fork with a fixed 1 GB heap. Run:
 * {@code java -jar audiosockets-bench/target/benchmarks.jar LogMelBenchmark -rf json -rff /tmp/logmel.json}
 * ({@code audiosockets-bench/python/jmh_realtime.py /tmp/logmel.json} prints the multiples).
 *
 * <p>Input: {@link SpeechLikeSignal}, 10 s at 16 kHz. The batch benchmarks use the 0.5 s chunk at
 * 1.0 to 1.5 s (8000 samples, 51 columns); the 20 ms benchmarks go through the 25 chunks of 320
 * samples of that same 0.5 s, one per operation; the streaming benchmark goes through the whole
 * 10 s in 320-sample chunks and wraps around.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class LogMelBenchmark implements StreamingLogMel.ColumnSink {
    /** 16 kHz. */
    static final int SAMPLE_RATE = SpeechLikeSignal.SAMPLE_RATE;
    /** 0.5 s. */
    static final int BATCH_SAMPLES = 8000;
    /** 20 ms. */
    static final int CHUNK_SAMPLES = 320;
    /** Length of the streamed signal: 10 s. */
    static final int SIGNAL_SAMPLES = 10 * SAMPLE_RATE;
    /** Where the 0.5 s batch chunk starts in the signal: 1.0 s. */
    static final int BATCH_OFFSET = SAMPLE_RATE;

    float[] signal;
    /** The 0.5 s chunk, its own array (as {@code compute(float[])} gets it from a processor). */
    float[] batchChunk;
    /** The 25 chunks of 20 ms of {@link #batchChunk}, each its own array. */
    float[][] smallChunks;
    int nextSmallChunk;

    /** Reused by the "reused" benchmarks: built once per trial. */
    LogMelSpectrogram reused;

    StreamingLogMel stream;
    int streamPosition;
    /** Where the streaming columns go during one operation. */
    private Blackhole sinkHole;

    @Setup
    public void setUp() {
        signal = SpeechLikeSignal.generate(SIGNAL_SAMPLES);
        batchChunk = Arrays.copyOfRange(signal, BATCH_OFFSET, BATCH_OFFSET + BATCH_SAMPLES);
        smallChunks = new float[BATCH_SAMPLES / CHUNK_SAMPLES][];
        for (int c = 0; c < smallChunks.length; c++) {
            smallChunks[c] = Arrays.copyOfRange(batchChunk, c * CHUNK_SAMPLES, (c + 1) * CHUNK_SAMPLES);
        }
        nextSmallChunk = 0;
        reused = new LogMelSpectrogram(SAMPLE_RATE);
        check(reused.compute(batchChunk).length == 128 && reused.compute(batchChunk)[0].length == 51, "0.5 s gives 128 x 51");
        check(reused.compute(smallChunks[0])[0].length == 3, "20 ms gives 128 x 3");
        stream = new StreamingLogMel(new LogMelSpectrogram(SAMPLE_RATE));
        streamPosition = 0;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark set-up: expected " + what);
        }
    }

    /**
     * Batch, instance reused: {@code spectrogram.compute(chunk)} on a 0.5 s chunk (8000 samples,
     * 128 x 51 out) with one {@code LogMelSpectrogram} built once and reused for every call, as
     * {@code DSP.md} recommends. Audio per op: 0.5 s, so real-time multiple = 500 000 / score (us/op).
     */
    @Benchmark
    public double[][] batch500msReused() {
        return reused.compute(batchChunk);
    }

    /**
     * Batch, new instance per call: {@code new LogMelSpectrogram(16000).compute(chunk)} on a 0.5 s
     * chunk, as the paper's processor does (it builds the spectrogram, i.e. the mel filter bank, the
     * window and the FFT plan, for every chunk). Audio per op: 0.5 s, so real-time multiple =
     * 500 000 / score (us/op).
     */
    @Benchmark
    public double[][] batch500msNewInstance() {
        return new LogMelSpectrogram(SAMPLE_RATE).compute(batchChunk);
    }

    /**
     * Batch on 20 ms chunks, instance reused: {@code spectrogram.compute(chunk)} on one 320-sample
     * chunk per op (128 x 3 out: librosa's centring pads every chunk on both sides, so 3 columns per
     * 2 hops), cycling through the 25 chunks of the 0.5 s chunk. The same computation as the numpy
     * reference's 20 ms case. Audio per op: 20 ms, so real-time multiple = 20 000 / score (us/op).
     */
    @Benchmark
    public double[][] batch20msReused() {
        float[] chunk = smallChunks[nextSmallChunk];
        nextSmallChunk = nextSmallChunk + 1 == smallChunks.length ? 0 : nextSmallChunk + 1;
        return reused.compute(chunk);
    }

    /**
     * Batch on 20 ms chunks, new instance per call: {@code new LogMelSpectrogram(16000).compute(chunk)}
     * on one 320-sample chunk per op, as the paper's processor would on a 20 ms stream. Audio per op:
     * 20 ms, so real-time multiple = 20 000 / score (us/op).
     */
    @Benchmark
    public double[][] batch20msNewInstance() {
        float[] chunk = smallChunks[nextSmallChunk];
        nextSmallChunk = nextSmallChunk + 1 == smallChunks.length ? 0 : nextSmallChunk + 1;
        return new LogMelSpectrogram(SAMPLE_RATE).compute(chunk);
    }

    /**
     * Streaming: one 20 ms chunk (320 samples) pushed into one long-lived {@code StreamingLogMel}
     * per op; in the steady state it completes exactly 2 columns (hop 160), each consumed by the
     * {@code Blackhole}. The stream runs through the 10 s signal and wraps around (never reset).
     * Audio per op: 20 ms, so real-time multiple = 20 000 / score (us/op).
     */
    @Benchmark
    public int streaming20ms(Blackhole bh) {
        sinkHole = bh;
        int columns = stream.push(signal, streamPosition, CHUNK_SAMPLES, this);
        streamPosition += CHUNK_SAMPLES;
        if (streamPosition == SIGNAL_SAMPLES) {
            streamPosition = 0;
        }
        return columns;
    }

    /** The streaming sink: the column buffer is only valid during the call, so consume it here. */
    @Override
    public void onColumn(double[] logMel, long index) {
        sinkHole.consume(logMel);
        sinkHole.consume(index);
    }
}
