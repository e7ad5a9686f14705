package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static io.audiosockets.testkit.Wire.audio;
import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.Limits;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.Wire.Item;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding (ac58485): {@code ProcessorSession.pumpHeld} evaluates {@code roomInBytes(h)} of
 * the queue's head before checking that the head is still the stream's cursor. When a stream ends
 * and returns while its cursor is held back by MAX_UNACKED_BYTES with a chunk in flight,
 * {@code attach} replaces the cursor but leaves the old one in {@code held}, its in-flight count
 * frozen at 1. With chunks larger than MAX_UNACKED_BYTES (PROTOCOL.md §5.x: such a chunk "still
 * flows, one at a time"), {@code roomInBytes(old)} is 0 for ever, so the queue never moves again:
 * the new cursor, itself held, is never pumped by its ACKs (only by a later wake), and the chunks
 * the returning recorder sent before the ACK are never delivered.
 */
@Timeout(60)
class StaleHeldCursorReviewTest {
    private static final Duration RETENTION = Duration.ofMillis(300);

    @RegisterExtension
    final MailmanFixture fixture = MailmanFixture.virtualTime();

    @Test
    void aStreamThatReturnsWhileItsCursorIsHeldBackStillFlowsOnAcknowledgements() throws Exception {
        long chunk = audio("a", 0).length;
        Mailman mailman = fixture.start(TestConfigs.fast().retention(RETENTION)
                .limits(Limits.DEFAULTS.withMaxUnackedBytes(chunk / 2))); // every chunk is larger than the limit
        RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.OLDEST, 64, Map.of(), "a"));

        try (RawClient a = recorder(mailman.port(), "a")) {
            produce(a, "a", 0, 0);
        }
        List<Item> first = items(p, 1);
        assertThat(first).extracting(Item::seq).containsExactly(0L); // in flight, not acknowledged: the cursor is held

        // The stream ends (its recorder gone, quiet for the retention) and comes back before p acknowledges seq 0.
        await("a's recorder gone", () -> !mailman.recorders().contains("a"));
        fixture.ticker().advance(RETENTION);
        await("a forgotten", () -> !mailman.streams().contains("a"));
        RawClient back = fixture.track(recorder(mailman.port(), "a"));
        produce(back, "a", 1, 3);

        // Nothing new arrives from here on: acknowledgements alone must carry 1..3 to p, one at a time.
        p.send(new Ack("a", 0));
        for (long seq = 1; seq <= 3; seq++) {
            List<Item> got;
            try {
                got = items(p, 1);
            } catch (AssertionError e) {
                throw new AssertionError("seq " + seq + " of the returned stream never came after the ACK of " + (seq - 1)
                        + ": the replaced cursor left in the held queue blocks it (" + e.getMessage() + ")", e);
            }
            assertThat(got).extracting(Item::seq).containsExactly(seq);
            p.send(new Ack("a", seq));
        }
    }
}
