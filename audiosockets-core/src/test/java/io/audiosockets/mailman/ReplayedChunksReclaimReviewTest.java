package io.audiosockets.mailman;

import static io.audiosockets.mailman.TestFrames.audio;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.Limits;
import io.audiosockets.internal.protocol.Message;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review (wt-review2): the budget's reclaim brings the total down to the low-water mark (nine
 * tenths, PROTOCOL.md §5.6), letting go of what arrived first. Replayed chunks carry the arrival
 * order {@code Long.MIN_VALUE}, and Registry.reclaim's first round then uses the cutoff
 * {@code Long.MIN_VALUE + 1} whatever the excess: every replayed chunk of every stream goes at
 * once, however little was over. Here the budget is over by one chunk and 50 replayed chunks
 * (35 more than the low-water mark needs) are let go; readers catching up through that replay
 * get a RETENTION_EXCEEDED gap for audio the budget had room for.
 */
class ReplayedChunksReclaimReviewTest {
    @Test
    void aReclaimLetsGoOfNoMoreReplayedAudioThanTheLowWaterMarkNeeds() {
        long chunk = audio(0).encodedBytes();
        RetentionBudget budget = new RetentionBudget(139 * chunk);
        Registry registry = new Registry(Duration.ofHours(1), Long.MAX_VALUE, Limits.DEFAULTS, Ticker.system(), budget,
                new MailmanStats(), ByteBufAllocator.DEFAULT);
        StreamLog log = registry.log("mic", StreamLog.Kind.AUDIO);
        log.attachReplayer((l, request, from, to) -> { });
        for (long s = 50; s < 140; s++) {
            log.append(audio(s));
        }
        List<Message> out = new ArrayList<>();
        log.read(0, 100, out); // a processor resuming at 0 after a mailman restart: the log asks for 0..49
        assertThat(out).isEmpty();
        assertThat(log.replayAnswer(0, 50)).isTrue();
        for (long s = 0; s < 50; s++) {
            log.replayFrame(audio(s));
        }
        assertThat(budget.usedBytes()).isEqualTo(140 * chunk);

        registry.reclaim(); // over by one chunk: down to 125.1 chunks' worth, 15 chunks to go

        assertThat(budget.usedBytes()).as("bytes held after the reclaim (low water %d)", budget.lowWaterBytes())
                .isGreaterThanOrEqualTo(budget.lowWaterBytes() - chunk);
        registry.close();
    }
}
