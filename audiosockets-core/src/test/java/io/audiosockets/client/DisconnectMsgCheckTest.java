package io.audiosockets.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testing.Closer;
import io.audiosockets.testing.CollectingProcessor;
import io.audiosockets.testing.LogCapture;
import io.audiosockets.testing.ScriptedSource;
import io.audiosockets.testing.TestConfigs;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client whose {@code DISCONNECT_MSG} is not the mailman's (another config file) is told so
 * right after it connects, and stops with a clear error, instead of only when it says goodbye at
 * Ctrl-C. One whose text matches is not disturbed by the check.
 */
@Timeout(30)
class DisconnectMsgCheckTest {
    @RegisterExtension
    final Closer closer = new Closer();

    private Mailman mailman() {
        return closer.track(new Mailman(TestConfigs.fast().disconnectMsg("!DISCONNECT").build()).startAsync());
    }

    private static NetworkConfig client(Mailman mailman, String disconnectMsg) {
        return TestConfigs.clientOf(mailman.config(), mailman.port()).toBuilder().disconnectMsg(disconnectMsg).build();
    }

    @Test
    void aProcessorWithAnotherDisconnectMsgStopsAtOnceSayingWhy() {
        Mailman mailman = mailman();
        try (LogCapture log = new LogCapture()) {
            BaseProcessor p = closer.track(BaseProcessor.of("p", client(mailman, "DISCONNECT"), chunk -> { }));
            p.startAsync();
            p.connected().join();
            assertThatThrownBy(() -> p.terminated().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(MailmanException.class)
                    .cause().satisfies(e -> assertThat(((MailmanException) e).code()).isEqualTo(ErrorCode.BAD_DISCONNECT_MSG))
                    .hasMessageContaining("DISCONNECT_MSG 'DISCONNECT'").hasMessageContaining("'!DISCONNECT'");
            assertThat(log.has("processor 'p'", "Not retrying")).isTrue();
            CollectingProcessor.await("the mailman let the processor go", () -> mailman.processors().isEmpty());
        }
    }

    @Test
    void aRecorderWithAnotherDisconnectMsgStopsToo() {
        Mailman mailman = mailman();
        Recorder r = closer.track(new Recorder(new ScriptedSource(320, 1_000, true, -1),
                RecorderOptions.builder().config(client(mailman, "bye")).period(Duration.ofMillis(20)).build()));
        assertThatThrownBy(r::start).isInstanceOf(CompletionException.class).hasCauseInstanceOf(MailmanException.class)
                .hasMessageContaining("DISCONNECT_MSG 'bye'");
    }

    @Test
    void aClientWithTheSameDisconnectMsgIsNotDisturbedByTheCheck() throws Exception {
        Mailman mailman = mailman();
        BaseProcessor p = closer.track(BaseProcessor.of("p", client(mailman, "!DISCONNECT"), chunk -> { }));
        p.startAsync();
        p.connected().join();
        // The check's own connection has come and gone: the mailman saw it and the processor, nothing else.
        CollectingProcessor.await("the check's connection counted", () -> mailman.stats().snapshot().connections() >= 2);
        assertThat(p.terminated()).isNotDone();
        assertThat(mailman.processors()).containsExactly("p");
        p.close();
        assertThat(p.terminated()).isCompleted();
    }
}
