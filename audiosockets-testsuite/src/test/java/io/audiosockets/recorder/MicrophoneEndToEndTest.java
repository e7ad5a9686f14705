package io.audiosockets.recorder;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.MicrophoneSource;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.TestCaptureLine;
import io.audiosockets.testkit.TestMixerProvider;
import io.audiosockets.testkit.TestSignal;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A microphone, found through AudioSystem as a real one would be (the test sound card of
 * {@link TestMixerProvider}, capturing {@link TestSignal} at real-time pace), recorded through a
 * real mailman on loopback to a processor: every sample, every timestamp, every loss accounted for.
 */
class MicrophoneEndToEndTest {
    private static final int RATE = 16_000;
    private static final Duration PERIOD = Duration.ofMillis(50);
    private static final int PERIOD_FRAMES = 800;

    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    private CollectingProcessor processor() {
        CollectingProcessor p = fixture.track(new CollectingProcessor(ProcessorOptions.builder("p").config(fixture.client()).build()));
        p.startAsync();
        p.connected().join();
        return p;
    }

    private Recorder recorder(MicrophoneSource mic, Duration period) {
        return fixture.track(new Recorder(mic, RecorderOptions.builder().config(fixture.client()).stream("mic").period(period).build()));
    }

    /** Checks every sample of {@code c} against the signal from timeline frame {@code first}; returns the worst error. */
    private static double checkSamples(AudioChunk c, long first, int bits, boolean floating) {
        if (bits == 16 && !floating) {
            assertThat(c.format()).isEqualTo(SampleFormat.PCM_S16LE);
            ByteBuffer b = ByteBuffer.wrap(c.data()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < c.frames(); i++) {
                for (int ch = 0; ch < c.channels(); ch++) {
                    short expected = (short) TestSignal.sample(first + i, ch, 16);
                    short got = b.getShort();
                    if (got != expected) {
                        throw new AssertionError("chunk " + c.seq() + " frame " + i + " ch " + ch + ": " + got + " != " + expected);
                    }
                }
            }
            return 0;
        }
        assertThat(c.format()).isEqualTo(SampleFormat.FLOAT32LE);
        float[] s = c.samples();
        double worst = 0;
        for (int i = 0; i < c.frames(); i++) {
            for (int ch = 0; ch < c.channels(); ch++) {
                worst = Math.max(worst, Math.abs(s[i * c.channels() + ch] - TestSignal.expectedFloat(first + i, ch, bits, floating)));
            }
        }
        return worst;
    }

    @ParameterizedTest(name = "{0}, {1} ch")
    @CsvSource({"s16le, 1", "s16le, 2", "s16be, 1", "s16be, 2", "s8, 1", "u8, 2", "s24le, 1", "s24be, 2", "s32le, 2", "s32be, 1",
        "f32le, 2"})
    void everySampleArrivesExactlyOrWithin1LsbAndTimesAdvanceByExactlyTheChunkDuration(String format, int channels) {
        CollectingProcessor p = processor();
        MicrophoneSource mic;
        try {
            mic = MicrophoneSource.builder().device("microphone").sampleRate(RATE).channels(channels).sampleFormat(format).open();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        Recorder recorder = recorder(mic, PERIOD);
        recorder.startAsync();
        await("8 chunks", () -> p.chunks.size() >= 8);
        recorder.close();
        assertThat(TestMixerProvider.MIC.lastLine().isOpen()).as("line released").isFalse();
        await("all chunks", () -> p.chunks.size() == recorder.chunksCaptured());

        int bits = Integer.parseInt(format.replaceAll("\\D", ""));
        boolean floating = format.startsWith("f");
        // Exact for everything up to 24 bits; a 32-bit integer keeps 24 bits in a float: within 1 LSB of those.
        double tolerance = bits == 32 && !floating ? 1.0 / (1 << 23) : 0;
        long frame = 0;
        for (int i = 0; i < p.chunks.size(); i++) {
            AudioChunk c = p.chunks.get(i);
            assertThat(c.seq()).isEqualTo(i);
            assertThat(c.channels()).isEqualTo(channels);
            assertThat(c.sampleRate()).isEqualTo(RATE);
            assertThat(checkSamples(c, frame, bits, floating)).as("worst error in chunk %d", i).isLessThanOrEqualTo(tolerance);
            if (i > 0) {
                assertThat(c.captureTimeNanos() - p.chunks.get(i - 1).captureTimeNanos()).isEqualTo(PERIOD.toNanos());
            }
            if (i < p.chunks.size() - 1) {
                assertThat(c.frames()).isEqualTo(PERIOD_FRAMES);
            }
            frame += c.frames();
        }
        assertThat(p.gaps).isEmpty();
        assertThat(recorder.framesLost()).isZero();
    }

    @Test
    void anOverrunIsOneGapOfTheRightLengthWithALogLineAndTimesStaySampleAccurate() throws Exception {
        CollectingProcessor p = processor();
        MicrophoneSource mic = MicrophoneSource.builder().sampleRate(RATE).open();
        Recorder recorder = recorder(mic, PERIOD);
        long lost = 2_000; // 2.5 periods: 3 sequence numbers
        try (LogCapture logs = new LogCapture()) {
            recorder.startAsync();
            await("5 chunks", () -> p.chunks.size() >= 5);
            TestMixerProvider.MIC.lastLine().overrun(lost);
            await("a gap and more chunks", () -> !p.gaps.isEmpty() && p.chunks.size() >= 11);
            recorder.close();
            await("all chunks", () -> p.chunks.size() == recorder.chunksCaptured());

            assertThat(logs.has("overrun #1", "2000 frames (125 ms) of audio were lost")).as(logs.messages().toString()).isTrue();
            assertThat(logs.has("the source lost 2000 frames", "gap of 3 chunk(s)")).isTrue();
        }
        assertThat(p.gaps).hasSize(1);
        Gap gap = p.gaps.get(0);
        assertThat(gap.reason()).isEqualTo(GapReason.SOURCE_SKIPPED);
        assertThat(gap.count()).isEqualTo(3);
        assertThat(recorder.framesLost()).isEqualTo(lost);
        assertThat(mic.overruns()).isEqualTo(1);
        assertThat(mic.framesLost()).isEqualTo(lost);

        // Every chunk's time says where it is in the device's timeline, and its samples agree, on both sides of the gap.
        long t0 = p.chunks.get(0).captureTimeNanos();
        long expectedNext = 0;
        for (AudioChunk c : p.chunks) {
            long first = (c.captureTimeNanos() - t0) * RATE / 1_000_000_000L;
            assertThat((c.captureTimeNanos() - t0) * RATE % 1_000_000_000L).as("a whole frame").isZero();
            assertThat(checkSamples(c, first, 16, false)).isZero();
            if (c.seq() == gap.toSeq() + 1) {
                assertThat(first).as("the chunk after the gap starts exactly the lost frames later").isEqualTo(expectedNext + lost);
            } else {
                assertThat(first).as("chunk %d follows its predecessor", c.seq()).isEqualTo(expectedNext);
            }
            expectedNext = first + c.frames();
        }
        assertThat(p.seqs("mic")).doesNotContain(gap.fromSeq(), gap.toSeq()).contains(gap.fromSeq() - 1, gap.toSeq() + 1);
    }

    @Test
    void anOverrunTheLineDoesNotCountIsCaughtByTheFullBufferAndEstimatedFromTheClock() throws Exception {
        CollectingProcessor p = processor();
        MicrophoneSource mic = MicrophoneSource.builder().sampleRate(RATE).open(); // 200 ms buffer
        Recorder recorder = recorder(mic, PERIOD);
        recorder.startAsync();
        await("5 chunks", () -> p.chunks.size() >= 5);
        TestCaptureLine line = TestMixerProvider.MIC.lastLine();
        line.setCountsDroppedFrames(false);
        line.stallReader(Duration.ofMillis(500)); // 300 ms more than the buffer holds
        await("a gap and more chunks", () -> !p.gaps.isEmpty() && p.chunks.size() >= 12);
        recorder.close();

        assertThat(p.gaps).hasSize(1);
        long dropped = line.droppedFrames();
        assertThat(dropped).as("the line really dropped about 300 ms").isBetween(4_000L, 9_000L);
        // The estimate is off by no more than the scheduling jitter around the stall (20 ms here).
        assertThat(Math.abs(recorder.framesLost() - dropped)).as("estimated %d, dropped %d", recorder.framesLost(), dropped)
                .isLessThanOrEqualTo(RATE / 50);
        Gap gap = p.gaps.get(0);
        AudioChunk after = p.chunks.stream().filter(c -> c.seq() == gap.toSeq() + 1).findFirst().orElseThrow();
        long t0 = p.chunks.get(0).captureTimeNanos();
        long stamped = (after.captureTimeNanos() - t0) * RATE / 1_000_000_000L;
        long actual = firstFrameOf(after, stamped);
        assertThat(Math.abs(stamped - actual)).as("timestamp vs samples after the gap").isLessThanOrEqualTo(RATE / 50);
    }

    /** The timeline frame whose signal the chunk starts with, searched near {@code near}. */
    private static long firstFrameOf(AudioChunk c, long near) {
        ByteBuffer b = ByteBuffer.wrap(c.data()).order(ByteOrder.LITTLE_ENDIAN);
        short s0 = b.getShort(0);
        short s1 = b.getShort(2);
        for (long d = 0; d < RATE; d++) {
            for (long f : new long[] {near + d, near - d}) {
                if (f >= 0 && TestSignal.sample(f, 0, 16) == s0 && TestSignal.sample(f + 1, 0, 16) == s1) {
                    return f;
                }
            }
        }
        throw new AssertionError("chunk " + c.seq() + " holds no signal near frame " + near);
    }

    @Test
    void aDeviceThatFailsMidCaptureEndsTheRecorderWithAClearError() throws Exception {
        CollectingProcessor p = processor();
        MicrophoneSource mic = MicrophoneSource.builder().device("0").sampleRate(RATE).open();
        Recorder recorder = recorder(mic, PERIOD);
        CompletableFuture<Void> run = CompletableFuture.runAsync(recorder::start);
        await("3 chunks", () -> p.chunks.size() >= 3);
        TestMixerProvider.MIC.lastLine().fail();

        await("the recorder ends", run::isDone);
        assertThatThrownBy(run::join).isInstanceOf(CompletionException.class).cause().isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("input device 0 'Test Microphone' stopped delivering audio")
                .hasMessageContaining("unplugged");
        assertThat(recorder.captureEnded()).isCompletedExceptionally();
        assertThat(TestMixerProvider.MIC.lastLine().isOpen()).as("line released").isFalse();
        // What was captured before the failure was delivered.
        await("captured chunks delivered", () -> p.chunks.size() == recorder.chunksCaptured());
        assertThat(recorder.chunksUnacknowledged()).isZero();
    }

    @Test
    void closeFromAnotherThreadUnblocksTheReadFlushesTheChunkInProgressAndReleasesTheLine() throws Exception {
        CollectingProcessor p = processor();
        // One-second chunks: close() comes while the capture thread is blocked in a read, mid-chunk.
        MicrophoneSource mic = MicrophoneSource.builder().sampleRate(RATE).open();
        Recorder recorder = recorder(mic, Duration.ofSeconds(1));
        recorder.startAsync();
        await("the line delivers", () -> TestMixerProvider.MIC.lastLine() != null
                && TestMixerProvider.MIC.lastLine().getLongFramePosition() > RATE / 4);
        long closeStarted = System.nanoTime();
        recorder.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).isLessThan(Recorder.DRAIN_TIMEOUT);
        assertThat(recorder.captureEnded()).isCompleted();
        assertThat(TestMixerProvider.MIC.lastLine().isOpen()).isFalse();
        assertThat(TestMixerProvider.MIC.lastLine().closes()).isEqualTo(1);
        await("the partial chunk arrives", () -> p.chunks.size() == 1);
        AudioChunk partial = p.chunks.get(0);
        // At least what the line had captured before close(), less the block in flight and what sat in its buffer.
        assertThat(partial.frames()).isBetween(RATE / 4 - 3 * 320, RATE - 1);
        assertThat(checkSamples(partial, 0, 16, false)).isZero();
        assertThat(recorder.chunksUnacknowledged()).isZero();
    }
}
