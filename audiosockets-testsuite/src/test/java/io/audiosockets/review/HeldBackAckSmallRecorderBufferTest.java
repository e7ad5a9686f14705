package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding (protocol version 3, held-back ACKs): the Java recorder offers version 3 and announces
 * {@code ACK_WINDOW} (64) as its window, but a live source's recorder really holds at most
 * {@code RECORDER_BUFFER_SECONDS} of unacknowledged audio. With a buffer shorter than the mailman's
 * ACK_DELAY_MILLIS plus its grid tick (here 200 ms against 500 ms; at the default 50 ms, a buffer under
 * about 80 ms), the mailman holds the ACK back (a chunk or a few are far below ceil(64 / 2)), the buffer
 * overflows with chunks the mailman already holds, and the recorder drops them from "in flight":
 * counted and logged as lost ("processors will see a gap"), which makes {@code record} exit 1
 * (RecordCommand: chunksUnacknowledged + chunksDropped), though nothing was lost. With ACK_DELAY_MILLIS 0
 * (or a version-2 mailman) the same recorder drops nothing.
 */
@Timeout(60)
class HeldBackAckSmallRecorderBufferTest {
    private static final int FRAMES = 320; // 20 ms at 16 kHz
    private static final int CHUNKS = 25;

    @RegisterExtension
    final Closer closer = new Closer();

    @ParameterizedTest(name = "ACK_DELAY_MILLIS {0}")
    @ValueSource(ints = {0, 500})
    void aLiveRecorderWithABufferShorterThanTheAckDelayDropsNothingTheMailmanHolds(int ackDelayMillis) throws Exception {
        NetworkConfig mailmanConfig = TestConfigs.fast().ackDelay(Duration.ofMillis(ackDelayMillis)).build();
        Mailman mailman = closer.track(new Mailman(mailmanConfig).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailmanConfig, mailman.port());
        CollectingProcessor p = closer.track(new CollectingProcessor(ProcessorOptions.builder("p").config(client).build()));
        p.startAsync();
        p.connected().join();
        // Warm up the mailman's and the client's paths first, so that the measured recorder sees loopback round trips.
        ScriptedSource file = new ScriptedSource(FRAMES, 50, false, -1);
        try (Recorder warm = new Recorder(file, RecorderOptions.builder().config(client).stream("warm")
                .period(Duration.ofNanos(FRAMES * 1_000_000_000L / 16_000)).build())) {
            warm.start(); // returns once the source has ended and everything was acknowledged
        }
        await("the warm-up delivered", () -> p.seqs("warm").size() == 50);

        // 200 ms of audio (ten 20 ms chunks): ample when an ACK comes within a loopback round trip, short of the
        // 500 ms ACK_DELAY_MILLIS (a legal value, 0..1000) the mailman may hold an ACK back for, far below ceil(64 / 2) chunks.
        NetworkConfig recorderConfig = client.toBuilder().recorderBuffer(Duration.ofMillis(200)).build();
        ScriptedSource mic = new ScriptedSource(FRAMES, CHUNKS, true, -1, true); // a microphone: real time, cannot wait
        Recorder recorder = closer.track(new Recorder(mic, RecorderOptions.builder().config(recorderConfig).stream("mic")
                .period(Duration.ofNanos(FRAMES * 1_000_000_000L / 16_000)).build()));
        recorder.startAsync();
        recorder.captureEnded().join();
        await("the last chunk delivered", () -> p.seqs("mic").contains(CHUNKS - 1L));

        assertThat(recorder.chunksDropped()).as("chunks the recorder counts as lost (what makes `record` exit 1), though "
                + "the mailman holds them all: its ACKs were only held back").isZero();
        assertThat(p.gaps).as("the mailman got every chunk").isEmpty();
        assertThat(p.seqs("mic")).containsExactlyElementsOf(LongStream.range(0, CHUNKS).boxed().toList());
    }
}
