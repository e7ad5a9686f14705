package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding: the recorder's SOURCE_SKIPPED GAP for chunks dropped before the mailman was
 * reached is sent only at the first WELCOME. If that connection breaks before the mailman has
 * handled the GAP, the next connection (to a mailman that still has no chunk of the stream, WELCOME
 * lastSeq -1) never repeats it, and the mailman begins the stream at the first chunk it gets:
 * chunks 0..19 are lost silently, the loss PROTOCOL.md §4.6 says the GAP exists to report.
 */
@Timeout(60)
class RecorderGapLostOnReconnectTest {
    private static final int FRAMES = 320; // 20 ms at 16 kHz

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void theDroppedChunksAreStillAGapWhenTheFirstConnectionBreaksRightAfterItsWelcome() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NetworkConfig config = TestConfigs.fast().port(port).build();
        NetworkConfig recorderConfig = config.toBuilder().recorderBuffer(Duration.ofMillis(200)).build(); // 10 chunks
        ScriptedSource mic = new ScriptedSource(FRAMES, 30, false, -1, true); // live: drops when full
        Recorder recorder = closer.track(new Recorder(mic, RecorderOptions.builder().config(recorderConfig).stream("mic")
                .period(Duration.ofNanos(FRAMES * 1_000_000_000L / 16_000)).build()));
        recorder.startAsync();
        await("30 chunks captured, 20 dropped while no mailman was there", () -> recorder.chunksDropped() == 20);

        // A first "mailman" that welcomes the recorder, reads the GAP it sends, and goes away (a network blip).
        try (ServerSocket fake = new ServerSocket(port); Socket s = fake.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            readFrame(in); // HELLO
            s.getOutputStream().write(RawClient.encode(new Welcome("blip", 1, 4 << 20, 5000, -1)));
            s.getOutputStream().flush();
            assertThat(readFrame(in)).as("the recorder's first frame after WELCOME is its GAP").isEqualTo(6);
        }

        Mailman mailman = closer.track(new Mailman(config).startAsync());
        CollectingProcessor p = closer.track(new CollectingProcessor(ProcessorOptions.builder("p").config(config).build()));
        p.startAsync();
        p.connected().join();
        await("the last chunk delivered", () -> p.seqs("mic").contains(29L));

        assertThat(p.seqs("mic")).containsExactlyElementsOf(LongStream.rangeClosed(20, 29).boxed().toList());
        assertThat(p.gaps).as("chunks 0..19, dropped before any mailman was reached, reported as a gap").singleElement()
                .satisfies(g -> {
                    assertThat(g.fromSeq()).isZero();
                    assertThat(g.toSeq()).isEqualTo(19);
                    assertThat(g.reason()).isEqualTo(GapReason.SOURCE_SKIPPED);
                });
    }

    private static int readFrame(DataInputStream in) throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        int type = header[3] & 0xFF;
        long length = ((header[4] & 0xFFL) << 24) | ((header[5] & 0xFFL) << 16) | ((header[6] & 0xFFL) << 8) | (header[7] & 0xFFL);
        in.readFully(new byte[(int) length]);
        return type;
    }
}
