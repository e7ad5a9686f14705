package io.audiosockets.review;

import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.ResultPublisher;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding: a ResultPublisher the mailman refused for good (here: the name carries audio,
 * INVALID_VALUE; equally AUTH_FAILED, INVALID_NAME, UNSUPPORTED_VERSION at a version-1 mailman)
 * keeps taking records, and once RECORDER_BUFFER_BYTES of them wait, publish() blocks forever:
 * nothing will ever acknowledge them, and only close() ends the wait. In `process vad` that is the
 * processor's thread, which then stops processing audio without a word.
 *
 * <p>The recorder that gave the name its audio has left; the mailman keeps the stream (and its
 * kind) for the retention, which on its virtual time never passes during the test.
 */
@Timeout(60)
class PublisherRefusedForGoodTest {
    @RegisterExtension
    final MailmanFixture fixture = MailmanFixture.virtualTime();

    @Test
    void publishDoesNotBlockForeverOnceThePublisherWasRefusedForGood() throws Exception {
        Mailman mailman = fixture.start(TestConfigs.fast().maxFrameBytes(1024).recorderBufferBytes(1024));
        try (RawClient audio = recorder(mailman.port(), "mic.vad")) {
            // an audio stream has the name; its recorder leaves, the stream stays (a live recorder's name is only
            // NAME_IN_USE, retried, until the mailman times it out: HEARTBEAT_TIMEOUT_SECONDS, 15 s of real time)
        }
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        ResultPublisher publisher = fixture.track(new ResultPublisher("mic.vad", client).start());
        publisher.terminated().handle((v, e) -> null).get(20, TimeUnit.SECONDS);
        assertThat(publisher.terminated().isCompletedExceptionally()).as("refused for good").isTrue();

        CompletableFuture<Object> publishing = CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    publisher.publishJson(1_700_000_000_000_000_000L + i, 0, "{\"event\":\"" + "x".repeat(90) + "\"}");
                }
                return "returned";
            } catch (Exception e) {
                return e;
            }
        });
        assertThat(publishing).as("publish returns or throws; it does not wait for a mailman that refused it")
                .succeedsWithin(java.time.Duration.ofSeconds(10));
    }
}
