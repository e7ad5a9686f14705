package io.audiosockets.bench;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec on one AUDIO frame of 16 kHz mono float32, 320 samples (20 ms, 1,280 bytes of
 * audio) or 8000 (0.5 s, 32,000 bytes), in nanoseconds per frame:
 *
 * <ul>
 *   <li>{@code encode}: what a recorder's event loop does per chunk: {@link FrameCodec#encode} of
 *       an {@link AudioMessage} into a pooled direct buffer from Netty's allocator (as the channel
 *       encoder gets it), then the buffer released (as the socket write would).
 *   <li>{@code decode}: what the mailman does per chunk received: {@link FrameCodec#decode} of the
 *       frame's bytes into an {@link AudioFrame} (a retained slice, no copy of the samples), released.
 *   <li>{@code decodeToChunk}: what a processor does per chunk: decode, then
 *       {@link AudioFrame#toChunk()} (the samples copied into the {@link AudioChunk} handed to
 *       {@code processData}).
 * </ul>
 *
 * One thread, one fork with a fixed 1 GB heap. Run:
 * {@code java -jar audiosockets-bench/target/benchmarks.jar FrameCodecBenchmark -rf json -rff /tmp/codec.json}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class FrameCodecBenchmark {
    /** Samples per chunk: 20 ms or 0.5 s at 16 kHz. */
    @Param({"320", "8000"})
    public int samples;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private AudioMessage message;
    /** The encoded frame; each decode reads a duplicate of it. */
    private ByteBuf encoded;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() {
        message = new AudioMessage(chunk(samples, 0));
        encoded = alloc.directBuffer(FrameCodec.estimateSize(message));
        FrameCodec.encode(message, encoded);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoded.release();
    }

    /** A chunk of a 440 Hz tone, as a recorder would send it. */
    static AudioChunk chunk(int samples, long seq) {
        float[] tone = new float[samples];
        for (int i = 0; i < samples; i++) {
            tone[i] = (float) (0.25 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        }
        return AudioChunk.ofFloats("mic", seq, 1_764_000_000_000_000_000L, 16_000, 1, SampleFormat.FLOAT32LE, tone);
    }

    /** Encodes one AUDIO frame into a pooled direct buffer; returns its size (so the work is not dead code). */
    @Benchmark
    public int encode() {
        AudioMessage m = new AudioMessage(message.chunk().withSeq(seq++));
        ByteBuf out = alloc.directBuffer(FrameCodec.estimateSize(m));
        try {
            FrameCodec.encode(m, out);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }

    /** Decodes one AUDIO frame as the mailman does (no copy of the samples). */
    @Benchmark
    public long decode() {
        ByteBuf in = encoded.duplicate();
        Message m = FrameCodec.decode(in, Integer.MAX_VALUE);
        AudioFrame f = (AudioFrame) m;
        try {
            return f.seq() + f.frames();
        } finally {
            f.release();
        }
    }

    /** Decodes one AUDIO frame and copies its samples into an AudioChunk, as a processor does. */
    @Benchmark
    public AudioChunk decodeToChunk() {
        ByteBuf in = encoded.duplicate();
        AudioFrame f = (AudioFrame) FrameCodec.decode(in, Integer.MAX_VALUE);
        try {
            return f.toChunk();
        } finally {
            f.release();
        }
    }
}
