package io.audiosockets.bench;

import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.codec.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
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
 * The mailman's fan-out step in isolation, in nanoseconds per chunk fanned out to P processors:
 * one received {@link AudioFrame} (decoded once, as the mailman's retention log holds it) written
 * to P channels as the mailman's processor sessions write it: a {@link AudioFrame#retainedDuplicate()}
 * per channel (the same bytes, no copy), through the shared {@link FrameEncoder}, then one flush
 * per channel. The channels are Netty {@link EmbeddedChannel}s: what reaches the "socket" is taken
 * off and released, standing in for the kernel's copy.
 *
 * <p>Why not the mailman itself: its sessions and retention log are package-private internals,
 * and through real sockets the kernel's copy and the wake-ups would dominate (the load tool's
 * {@code bench fanout} measures that whole path). This is the part that scales with P inside
 * the mailman: so {@code P / score} is an upper bound of the deliveries per second one core can
 * fan out, before system calls. The retention log's lock and the cursor bookkeeping, a few tens of
 * nanoseconds per delivery, are not in it.
 *
 * <p>Run: {@code java -jar audiosockets-bench/target/benchmarks.jar FanoutStepBenchmark -rf json -rff /tmp/fanout.json}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class FanoutStepBenchmark {
    /** Samples per chunk: 20 ms or 0.5 s at 16 kHz. */
    @Param({"320", "8000"})
    public int samples;

    /** Processors the chunk goes to. */
    @Param({"1", "4", "16"})
    public int processors;

    private EmbeddedChannel[] channels;
    private AudioFrame frame;

    @Setup(Level.Trial)
    public void setUp() {
        FrameEncoder encoder = new FrameEncoder();
        channels = new EmbeddedChannel[processors];
        for (int i = 0; i < processors; i++) {
            channels[i] = new EmbeddedChannel(encoder);
        }
        AudioMessage message = new AudioMessage(FrameCodecBenchmark.chunk(samples, 7));
        ByteBuf bytes = PooledByteBufAllocator.DEFAULT.directBuffer(FrameCodec.estimateSize(message));
        FrameCodec.encode(message, bytes);
        frame = (AudioFrame) FrameCodec.decode(bytes, Integer.MAX_VALUE);
        bytes.release(); // the frame holds its own reference (a retained slice)
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        frame.release();
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    /** One chunk to every processor: write a retained duplicate to each, flush each, release what was "sent". */
    @Benchmark
    public int fanOut() {
        for (EmbeddedChannel ch : channels) {
            ch.write(frame.retainedDuplicate(), ch.voidPromise());
        }
        int sent = 0;
        for (EmbeddedChannel ch : channels) {
            ch.flush();
            ByteBuf out;
            while ((out = ch.readOutbound()) != null) {
                sent += out.readableBytes();
                out.release();
            }
        }
        return sent;
    }
}
