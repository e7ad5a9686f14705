package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.recorder.ReplayBudget;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding: a closing recorder gives its share of the shared {@link ReplayBudget} back in
 * {@code RecorderBuffer.close()}, which {@code Recorder.closeOnce()} calls first, and then waits
 * for the mailman to acknowledge what is still in flight. Those late acknowledgements go through
 * {@code RecorderBuffer.acknowledge} → {@code moveAcknowledged} → {@code shared.add(..)} into a
 * closed buffer that never releases them again: every close with chunks in flight leaves their
 * bytes counted in the program's budget for good. Over many recorder closes (a gateway) the
 * budget fills with bytes nobody holds, and from then on {@code acknowledge} drops every
 * recorder's acknowledged chunks at once (replay depth zero).
 */
@Timeout(60)
class ReplayBudgetLeaksOnCloseTest {
    private static final int FRAMES = 320; // 20 ms at 16 kHz

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aRecorderClosedWithChunksInFlightGivesAllOfItsShareBack() throws Exception {
        ReplayBudget budget = ReplayBudget.ofBytes(1 << 20);
        try (ServerSocket fake = new ServerSocket(0)) {
            NetworkConfig config = TestConfigs.fast().port(fake.getLocalPort()).build();
            Recorder recorder = closer.track(new Recorder(new ScriptedSource(FRAMES, 5, false, -1),
                    RecorderOptions.builder().config(config).stream("mic").replayBudget(budget)
                            .period(Duration.ofNanos(FRAMES * 1_000_000_000L / 16_000)).build()));
            recorder.startAsync();
            try (Socket s = fake.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(readFrame(in)).as("HELLO").isEqualTo(1);
                s.getOutputStream().write(RawClient.encode(new Welcome("fake", 1, 4 << 20, 60_000, -1)));
                s.getOutputStream().flush();
                for (int i = 0; i < 5; i++) {
                    assertThat(readFrame(in)).as("AUDIO " + i).isEqualTo(4);
                }
                // close() gives the budget back first, then waits for the acknowledgement of the five in flight.
                Thread closing = new Thread(recorder::close, "closing-recorder");
                closing.start();
                await("close() waits for the mailman's acknowledgement", () -> closing.getState() == Thread.State.TIMED_WAITING
                        && Arrays.stream(closing.getStackTrace()).anyMatch(f -> f.getClassName().contains("CompletableFuture")));
                s.getOutputStream().write(RawClient.encode(new Ack("mic", 4)));
                s.getOutputStream().flush();
                closing.join(30_000);
                assertThat(closing.isAlive()).isFalse();
            }
        }
        assertThat(budget.heldBytes()).as("bytes still counted in the shared budget after the only recorder closed").isZero();
    }

    /** The type of the next frame, PINGs and PONGs skipped. */
    private static int readFrame(DataInputStream in) throws IOException {
        int type;
        do {
            type = readAnyFrame(in);
        } while (type == 8 || type == 9);
        return type;
    }

    private static int readAnyFrame(DataInputStream in) throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        int type = header[3] & 0xFF;
        long length = ((header[4] & 0xFFL) << 24) | ((header[5] & 0xFFL) << 16) | ((header[6] & 0xFFL) << 8) | (header[7] & 0xFFL);
        in.readFully(new byte[(int) length]);
        return type;
    }
}
