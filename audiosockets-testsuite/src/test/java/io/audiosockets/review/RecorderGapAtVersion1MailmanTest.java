package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.client.ClientListener;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding: the recorder's HELLO still says version 1, but when it dropped chunks before the
 * mailman was reached it now sends a GAP, a frame a version-1 recorder never sent. A mailman of
 * the previous release (6acdfc2: RecorderSession passes anything but AUDIO/REPLAY_ANSWER to
 * ErrorHandler, which answers ERROR UNEXPECTED_FRAME) refuses it, and the Java client takes
 * UNEXPECTED_FRAME as fatal: the recorder stops for good, with everything it buffered.
 * The "mailman" here answers exactly as 6acdfc2's did. Fixed: the recorder offers version 2 (in which a
 * recorder may send that GAP), falls back to version 1 on UNSUPPORTED_VERSION, and then sends none.
 */
@Timeout(60)
class RecorderGapAtVersion1MailmanTest {
    private static final int FRAMES = 320;

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aRecorderThatDroppedChunksBeforeConnectingIsNotRefusedForGoodByAVersion1Mailman() throws Exception {
        try (ServerSocket v1 = new ServerSocket(0)) {
            NetworkConfig config = TestConfigs.fast().port(v1.getLocalPort()).recorderBuffer(Duration.ofMillis(200)).build();
            List<String> fatal = new CopyOnWriteArrayList<>();
            ClientListener listener = new ClientListener() {
                @Override
                public void onMailmanError(ErrorCode code, String message, boolean isFatal) {
                    if (isFatal) {
                        fatal.add(code + ": " + message);
                    }
                }
            };
            ScriptedSource mic = new ScriptedSource(FRAMES, 30, false, -1, true);
            Recorder recorder = closer.track(new Recorder(mic, RecorderOptions.builder().config(config).stream("mic")
                    .period(Duration.ofNanos(FRAMES * 1_000_000_000L / 16_000)).listener(listener).build()));
            // Nothing accepts yet: the connection waits in the backlog while the live source overflows the buffer.
            recorder.startAsync();
            await("20 chunks dropped before the mailman answered", () -> recorder.chunksDropped() == 20);
            // A mailman of version 1 (6acdfc2) judges the header first: a HELLO of version 3, then 2, gets UNSUPPORTED_VERSION.
            for (int offered = 3; offered >= 2; offered--) {
                try (Socket s = v1.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] hello = readFrame(in);
                    assertThat(hello[2]).as("the recorder offers one version less each time").isEqualTo((byte) offered);
                    s.getOutputStream().write(RawClient.encode(new ErrorMessage(ErrorCode.UNSUPPORTED_VERSION,
                            "protocol version " + offered + " is not supported (this peer speaks version 1)")));
                    s.getOutputStream().flush();
                }
            }
            // It falls back to version 1, and then sends no GAP, a frame version 1 does not have.
            try (Socket s = v1.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] hello = readFrame(in);
                assertThat(hello[2]).as("the recorder falls back to version 1").isEqualTo((byte) 1);
                s.getOutputStream().write(RawClient.encode(new Welcome("v1", 1, 4 << 20, 5000, -1)));
                s.getOutputStream().flush();
                byte[] first = readFrame(in);
                assertThat(first[3]).as("the first frame after WELCOME is AUDIO, not a GAP").isEqualTo((byte) 4);
            }
            assertThat(fatal).as("a version-1 mailman refused the recorder for good").isEmpty();
            // That mailman went away (restarted, perhaps upgraded): the next connection offers the newest version again.
            try (Socket s = v1.accept()) {
                byte[] hello = readFrame(new DataInputStream(s.getInputStream()));
                assertThat(hello[2]).as("after a welcomed connection ends, the recorder offers version 3 again").isEqualTo((byte) 3);
            }
        }
    }

    /** Reads one frame; returns its 8-byte header. */
    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        long length = ((header[4] & 0xFFL) << 24) | ((header[5] & 0xFFL) << 16) | ((header[6] & 0xFFL) << 8) | (header[7] & 0xFFL);
        in.readFully(new byte[(int) length]);
        return header;
    }
}
