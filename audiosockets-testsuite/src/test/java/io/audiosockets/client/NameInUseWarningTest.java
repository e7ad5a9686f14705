package io.audiosockets.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second program started under a live processor's name is told at once, at the first
 * refusal, what to do about it, instead of waiting silently.
 */
class NameInUseWarningTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    @Test
    void theFirstNameInUseRefusalSaysWhatToDo() throws Exception {
        BaseProcessor first = fixture.track(BaseProcessor.of(ProcessorOptions.builder("print").config(fixture.client()).build(), c -> { })
                .startAsync());
        first.connected().get(20, TimeUnit.SECONDS);

        CountDownLatch refused = new CountDownLatch(1);
        AtomicInteger refusals = new AtomicInteger();
        // A long reconnect interval: the refusal seen below is the first and only one.
        ProcessorOptions second = ProcessorOptions.builder("print")
                .config(fixture.client().toBuilder().reconnectInterval(Duration.ofSeconds(60)).build())
                .listener(new ClientListener() {
                    @Override
                    public void onMailmanError(ErrorCode code, String message, boolean fatal) {
                        if (code == ErrorCode.NAME_IN_USE) {
                            refusals.incrementAndGet();
                            refused.countDown();
                        }
                    }
                })
                .build();
        try (LogCapture log = new LogCapture()) {
            fixture.track(BaseProcessor.of(second, c -> { }).startAsync());
            assertThat(refused.await(20, TimeUnit.SECONDS)).as("the mailman refused the second 'print'").isTrue();
            // The WARN is written on the same event-loop turn as the refusal; wait for that turn to end.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log.has("processor 'print': refused"));
            assertThat(refusals).as("refusals so far").hasValue(1);
            assertThat(log.messages()).filteredOn(m -> m.startsWith("processor 'print': refused")).singleElement().satisfies(m -> assertThat(m)
                    .contains("held by another live client")
                    .contains("--name")
                    .contains("stop the other one")
                    .contains("Retrying every 60.0 s")
                    .contains("dead connection"));
        }
    }
}
