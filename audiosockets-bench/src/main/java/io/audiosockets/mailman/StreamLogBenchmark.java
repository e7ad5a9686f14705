package io.audiosockets.mailman;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.StreamFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ReferenceCounted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The mailman's retention log on its hot path, in nanoseconds per chunk: one {@link StreamLog#append}
 * (the ring, the budget's count, eviction of the oldest once RETENTION_SECONDS is full) followed by
 * one {@link StreamLog#read} per live reader that takes the new chunk (a retained duplicate, released
 * here as a session would after writing it). Uncontended, one thread: the lock's cost is that of an
 * uncontended monitor. No sockets, no wake-ups (no reader sessions are registered).
 *
 * <p>It lives in the log's package because the log is package-private (there is no module-info, so
 * the split package is fine on the class path). The frames are decoded once in the set-up, with
 * consecutive sequence numbers, and retained again for every log: each invocation appends them all
 * to a new log, so that the numbers start over.
 *
 * <p>Run: {@code java -jar audiosockets-bench/target/benchmarks.jar StreamLogBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class StreamLogBenchmark {
    /** Chunks appended per invocation: 82 s of 20 ms chunks, well past the 10 s retention. */
    private static final int CHUNKS = 4096;

    /** Live readers that read each chunk as it comes. */
    @Param({"1", "4"})
    public int readers;

    private StreamFrame[] frames;
    private long[] next;
    private final List<Message> out = new ArrayList<>();
    private final RetentionBudget budget = new RetentionBudget(Long.MAX_VALUE);

    @Setup(Level.Trial)
    public void setUp() {
        frames = new StreamFrame[CHUNKS];
        float[] tone = new float[320];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.25 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        }
        for (int seq = 0; seq < CHUNKS; seq++) {
            AudioMessage m = new AudioMessage(AudioChunk.ofFloats("mic", seq, seq * 20_000_000L, 16_000, 1, SampleFormat.FLOAT32LE, tone));
            ByteBuf bytes = PooledByteBufAllocator.DEFAULT.directBuffer(FrameCodec.estimateSize(m));
            FrameCodec.encode(m, bytes);
            frames[seq] = (StreamFrame) FrameCodec.decode(bytes, Integer.MAX_VALUE);
            bytes.release(); // the frame holds its own reference
        }
        next = new long[readers];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (StreamFrame f : frames) {
            f.release();
        }
    }

    /** Appends {@value #CHUNKS} chunks to a new log, each read at once by every reader; per chunk. */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public long appendAndRead() {
        StreamLog log = new StreamLog("mic", StreamLog.Kind.AUDIO, Duration.ofSeconds(10), Long.MAX_VALUE, -1, Ticker.system(), budget,
                PooledByteBufAllocator.DEFAULT);
        java.util.Arrays.fill(next, 0);
        for (int s = 0; s < CHUNKS; s++) {
            frames[s].retain(); // the log takes this reference
            log.append(frames[s]);
            for (int r = 0; r < next.length; r++) {
                next[r] = log.read(next[r], 16, out);
                for (int k = 0; k < out.size(); k++) {
                    ((ReferenceCounted) out.get(k)).release();
                }
                out.clear();
            }
        }
        log.close();
        return next[0];
    }
}
