package io.audiosockets.mailman;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.audiosockets.client.MailmanException;
import io.audiosockets.config.Limits;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.config.Security;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Tokens checked in the handshake (shared, and per role) and the mailman's limits: whoever is
 * refused gets a precise ERROR and a close; a recorder streaming to a processor alongside never
 * notices.
 */
@Timeout(60)
class AuthAndLimitsTest {
    private static final Duration NEXT = Duration.ofSeconds(5);
    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T c) {
        return closer.track(c);
    }

    private Mailman mailman(NetworkConfig.Builder b) {
        return track(new Mailman(b.build()).startAsync());
    }

    /** A recorder and a processor, both legitimate, streaming 2 s: the bystanders every refusal must spare. */
    private CollectingProcessor streaming(NetworkConfig client, String recorderToken, String processorToken) {
        NetworkConfig rc = client.toBuilder().security(client.security().withTokens(recorderToken, "", "")).build();
        NetworkConfig pc = client.toBuilder().security(client.security().withTokens(processorToken, "", "")).build();
        CollectingProcessor p = track(new CollectingProcessor(ProcessorOptions.builder("bystander").config(pc).build()));
        p.startAsync();
        p.connected().join();
        track(new Recorder(new ScriptedSource(320, 100, true, -1), RecorderOptions.builder().config(rc).stream("mic")
                .period(Duration.ofMillis(20)).build())).startAsync();
        return p;
    }

    private static void assertUnharmed(CollectingProcessor p) {
        await("the bystander got every chunk", () -> p.chunks.size() == 100);
        assertThat(p.gaps).isEmpty();
    }

    private static ErrorMessage helloAndExpectError(int port, Role role, String name, String token) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send(new Hello(role.code(), name, 42, token, 8, StartPosition.LIVE, List.of(), Map.of()));
            Message m = c.readSkippingHeartbeats(NEXT);
            assertThat(m).as("answer to a %s with token '%s'", role, token).isInstanceOf(ErrorMessage.class);
            assertThat(c.closedByPeer()).isTrue();
            return (ErrorMessage) m;
        }
    }

    @Test
    void theRightTokenIsServedAWrongOrMissingOneIsRefusedWithoutRevealingIt() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Mailman m = mailman(TestConfigs.fast().token("s3cret-token"));
            NetworkConfig client = TestConfigs.clientOf(m.config(), m.port());
            CollectingProcessor bystander = streaming(client, "s3cret-token", "s3cret-token");

            ErrorMessage wrong = helloAndExpectError(m.port(), Role.PROCESSOR, "intruder", "guess");
            assertThat(wrong.code()).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(wrong.message()).contains("wrong token for a processor").doesNotContain("s3cret").doesNotContain("guess");
            ErrorMessage missing = helloAndExpectError(m.port(), Role.RECORDER, "intruder", "");
            assertThat(missing.code()).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(missing.message()).contains("requires a token of recorders").contains("AUDIOSOCKETS_TOKEN");
            assertThat(logs.messages()).anyMatch(l -> l.contains("refused a processor from /127.0.0.1:") && l.contains("wrong token"));
            assertThat(logs.messages()).noneMatch(l -> l.contains("s3cret") || l.contains("guess"));

            // A real client with the wrong token stops for good: retrying would not fix it.
            NetworkConfig bad = client.toBuilder().token("nope").build();
            CollectingProcessor refused = track(new CollectingProcessor(ProcessorOptions.builder("refused").config(bad).build()));
            refused.startAsync();
            Throwable t = catchThrowable(() -> refused.terminated().join());
            assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(MailmanException.class);
            assertThat(((MailmanException) t.getCause()).code()).isEqualTo(ErrorCode.AUTH_FAILED);

            assertUnharmed(bystander);
        }
    }

    @Test
    void aProcessorPresentingTheRecordersTokenCannotRegisterNorInjectAudio() throws Exception {
        Security roles = Security.NONE.withTokens("", "rec-only", "proc-only");
        Mailman m = mailman(TestConfigs.fast().security(roles));
        NetworkConfig client = TestConfigs.clientOf(m.config(), m.port());
        CollectingProcessor bystander = streaming(client, "rec-only", "proc-only");

        assertThat(helloAndExpectError(m.port(), Role.PROCESSOR, "p2", "rec-only").code()).isEqualTo(ErrorCode.AUTH_FAILED);
        ErrorMessage e = helloAndExpectError(m.port(), Role.RECORDER, "fake", "proc-only");
        assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(e.message()).contains("RECORDER_TOKEN");
        assertUnharmed(bystander);
        assertThat(m.recorders()).doesNotContain("fake");
    }

    @Test
    void tokensComeFromTheEnvironmentOverTheFileAndNeverShowInToString() {
        NetworkConfig file = NetworkConfig.builder().token("from-file").build();
        NetworkConfig env = io.audiosockets.internal.config.ConfigLoader.withEnvironment(file,
                Map.of("AUDIOSOCKETS_TOKEN", "from-env", "AUDIOSOCKETS_PROCESSOR_TOKEN", "proc-env"));
        assertThat(env.security().recorderSecret()).isEqualTo("from-env");
        assertThat(env.security().processorSecret()).isEqualTo("proc-env");
        assertThat(env.toString()).doesNotContain("from-env").doesNotContain("proc-env").contains("token=set");
    }

    @Test
    void connectionsBeyondMaxConnectionsAreToldSoAndTheOthersCarryOn() throws Exception {
        Mailman m = mailman(TestConfigs.fast().limits(Limits.DEFAULTS.withMaxConnections(3)));
        NetworkConfig client = TestConfigs.clientOf(m.config(), m.port());
        CollectingProcessor bystander = streaming(client, "", ""); // connections 1 and 2
        // Both in before the third, or the third takes the recorder's place and the recorder is the one refused.
        await("the bystander's recorder registered", () -> m.recorders().contains("mic"));
        RawClient third = track(new RawClient(m.port()));
        third.send(new Hello(Role.PROCESSOR.code(), "third", 3, "", 8, StartPosition.LIVE, List.of(), Map.of()));
        assertThat(third.readSkippingHeartbeats(NEXT)).isInstanceOf(Welcome.class);
        try (RawClient fourth = new RawClient(m.port())) {
            Message msg = fourth.readSkippingHeartbeats(NEXT);
            assertThat(msg).isInstanceOf(ErrorMessage.class);
            assertThat(((ErrorMessage) msg).code()).isEqualTo(ErrorCode.LIMIT_REACHED);
            assertThat(((ErrorMessage) msg).message()).contains("MAX_CONNECTIONS");
            assertThat(fourth.closedByPeer()).isTrue();
        }
        assertUnharmed(bystander);
    }

    @Test
    void streamsAndProcessorsBeyondTheirLimitsAreRefusedNamingTheKey() throws Exception {
        Mailman m = mailman(TestConfigs.fast().limits(Limits.DEFAULTS.withMaxStreams(1).withMaxProcessors(1)));
        NetworkConfig client = TestConfigs.clientOf(m.config(), m.port());
        CollectingProcessor bystander = streaming(client, "", "");
        await("stream 'mic' exists", () -> m.recorders().contains("mic"));
        ErrorMessage stream = helloAndExpectError(m.port(), Role.RECORDER, "second-stream", "");
        assertThat(stream.code()).isEqualTo(ErrorCode.LIMIT_REACHED);
        assertThat(stream.message()).contains("MAX_STREAMS = 1");
        ErrorMessage processor = helloAndExpectError(m.port(), Role.PROCESSOR, "second-processor", "");
        assertThat(processor.code()).isEqualTo(ErrorCode.LIMIT_REACHED);
        assertThat(processor.message()).contains("MAX_PROCESSORS = 1");
        assertUnharmed(bystander);
    }

    @Test
    void maxUnackedBytesHoldsBackAProcessorThatDoesNotAcknowledge() throws Exception {
        // 640-byte chunks (+ header): a cap of 4 KiB lets about 6 be in flight, far below the window of 64.
        Mailman m = mailman(TestConfigs.fast().limits(Limits.DEFAULTS.withMaxUnackedBytes(4096)));
        NetworkConfig client = TestConfigs.clientOf(m.config(), m.port());
        CollectingProcessor bystander = streaming(client, "", "");
        try (RawClient silent = new RawClient(m.port())) {
            silent.send(new Hello(Role.PROCESSOR.code(), "no-acks", 5, "", 64, StartPosition.OLDEST, List.of(), Map.of()));
            assertThat(silent.readSkippingHeartbeats(NEXT)).isInstanceOf(Welcome.class);
            await("the bystander is done", () -> bystander.chunks.size() == 100);
            int received = 0;
            long bytes = 0;
            Message msg;
            while (received < 100) {
                try {
                    msg = silent.readSkippingHeartbeats(Duration.ofMillis(700));
                } catch (AssertionError quiet) {
                    break; // nothing more comes: it is held back
                }
                if (msg instanceof io.audiosockets.internal.protocol.AudioFrame f) {
                    bytes += f.encodedBytes();
                    f.release();
                    received++;
                }
            }
            assertThat(received).as("held back by MAX_UNACKED_BYTES, not by the window").isBetween(1, 8);
            assertThat(bytes).isLessThanOrEqualTo(4096 + 700);
        }
        assertUnharmed(bystander);
    }

    @Test
    void aClientSendingItsHelloOneByteAtATimeIsClosedAtTheHandshakeTimeoutAndTheOthersCarryOn() throws Exception {
        Mailman m = mailman(TestConfigs.fast().handshakeTimeout(Duration.ofSeconds(1)));
        NetworkConfig client = TestConfigs.clientOf(m.config(), m.port());
        CollectingProcessor bystander = streaming(client, "", "");
        byte[] hello = RawClient.encode(new Hello(Role.PROCESSOR.code(), "slowloris", 9, "", 8, StartPosition.LIVE, List.of(),
                Map.of()));
        try (RawClient slow = new RawClient(m.port())) {
            long start = System.nanoTime();
            int sent = 0;
            try {
                // One byte every 100 ms: the whole HELLO would take seconds; the timeout counts from the connect.
                for (; sent < hello.length && System.nanoTime() - start < 3_000_000_000L; sent++) {
                    slow.send(new byte[] {hello[sent]});
                    Thread.sleep(100); // the attack's own pace, not synchronisation
                }
            } catch (IOException closed) {
                // the mailman closed it while we were still trickling
            }
            assertThat(sent).as("closed long before the HELLO was complete").isLessThan(hello.length);
            Message msg = slow.readSkippingHeartbeats(NEXT);
            assertThat(msg).isInstanceOf(ErrorMessage.class);
            assertThat(((ErrorMessage) msg).code()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(m.processors()).doesNotContain("slowloris");
        assertUnharmed(bystander);
    }

    @Test
    void tlsSettingsAreValidatedTogether() {
        Throwable t = catchThrowable(() -> Security.NONE.withTls(false, Optional.of(java.nio.file.Path.of("cert.pem")),
                Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(t).hasMessageContaining("TLS_KEY").hasMessageContaining("together");
        Throwable fp = catchThrowable(() -> Security.NONE.withTls(true, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("AB:CD")));
        assertThat(fp).hasMessageContaining("TLS_FINGERPRINT").hasMessageContaining("64 hex digits");
    }
}
