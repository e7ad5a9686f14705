package io.audiosockets.mailman;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inputs the fuzz campaign ({@code audiosockets fuzz}) found the mailman mishandling, each kept
 * as a test that shows it is fixed.
 */
class FuzzFindingsTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    /**
     * A processor may ask to start any number of milliseconds back (PROTOCOL.md §4.1: an i64 &gt;= 0);
     * more audio than is retained means the oldest retained chunk (§5.5). A value above about
     * 292 years overflows {@code Duration.toNanos()} in {@code StreamLog.seqBack}: the
     * {@code ArithmeticException} escaped the handshake and the client got {@code ERROR INTERNAL}
     * instead of its WELCOME. Found by the campaign (seed 7) as a mutated HELLO; fixed by capping.
     */
    @Test
    void aProcessorStartingFurtherBackThanNanosecondsCanCountIsWelcomed() throws Exception {
        int port = fixture.mailman().port();
        try (RawClient recorder = fixture.track(new RawClient(port)); RawClient processor = fixture.track(new RawClient(port))) {
            recorder.send(new Hello(Role.RECORDER.code(), "s", 1, "", 8, StartPosition.RESUME, List.of(), Map.of()));
            assertThat(recorder.readSkippingHeartbeats(Duration.ofSeconds(5))).isInstanceOf(Welcome.class);
            recorder.send(new AudioMessage(new AudioChunk("s", 0, 0, 16_000, 1, SampleFormat.PCM_S16LE, new byte[320])));
            assertThat(recorder.readSkippingHeartbeats(Duration.ofSeconds(5))).as("the chunk is held").isEqualTo(new Ack("s", 0));

            processor.send(new Hello(Role.PROCESSOR.code(), "p", 2, "", 8, StartPosition.secondsBack(Duration.ofMillis(Long.MAX_VALUE)),
                    List.of("s"), Map.of()));
            Message answer = processor.readSkippingHeartbeats(Duration.ofSeconds(5));
            assertThat(answer).as("the answer to a HELLO starting Long.MAX_VALUE ms back").isInstanceOf(Welcome.class);
        }
    }
}
