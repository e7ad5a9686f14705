package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static io.audiosockets.testkit.Wire.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.client.ClientListener;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.config.Security;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding: with separate RECORDER_TOKEN and PROCESSOR_TOKEN (README: "a processor's secret
 * cannot inject audio"), a holder of only the processors' token can now, as a publisher (role 3),
 * claim the name of an audio stream before its recorder connects. The recorder, holding the right
 * token, is then refused with INVALID_VALUE, which the Java client takes as fatal: it stops for
 * good. Before version 2, only a recorder-token holder could create a stream. Fixed: publishers need
 * the recorders' token.
 */
@Timeout(60)
class ProcessorTokenSquatsAudioStreamTest {
    private static final int FRAMES = 320;

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aProcessorTokenCannotKeepTheRecorderOfAStreamOut() throws Exception {
        NetworkConfig base = TestConfigs.fast().build();
        Mailman mailman = closer.track(new Mailman(base.toBuilder()
                .security(Security.NONE.withTokens("", "rec-secret", "proc-secret")).build()).startAsync());

        RawClient squatter = closer.track(new RawClient(mailman.port()));
        squatter.send(new Hello(Role.PUBLISHER.code(), "mic", 7, "proc-secret", 64, StartPosition.RESUME, List.of(), Map.of(), 2));
        // Fixed: a publisher puts data into the mailman, so it needs the recorders' token (PROTOCOL.md §9.2).
        assertThat(next(squatter)).as("the processors' token does not register a publisher")
                .isInstanceOfSatisfying(ErrorMessage.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED));

        List<String> fatal = new CopyOnWriteArrayList<>();
        ClientListener listener = new ClientListener() {
            @Override
            public void onMailmanError(ErrorCode code, String message, boolean isFatal) {
                if (isFatal) {
                    fatal.add(code + ": " + message);
                }
            }
        };
        NetworkConfig recorderConfig = base.toBuilder().port(mailman.port())
                .security(Security.NONE.withTokens("", "rec-secret", "")).build();
        Recorder recorder = closer.track(new Recorder(new ScriptedSource(FRAMES, 50, true, -1),
                RecorderOptions.builder().config(recorderConfig).stream("mic")
                        .period(Duration.ofNanos(FRAMES * 1_000_000_000L / 16_000)).listener(listener).build()));
        recorder.startAsync();
        await("the recorder connected, or was refused for good", () -> recorder.connected().isDone() || !fatal.isEmpty());
        assertThat(fatal).as("the recorder, with the recorders' token, was refused for good").isEmpty();
    }
}
