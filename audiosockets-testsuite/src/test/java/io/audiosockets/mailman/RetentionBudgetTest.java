package io.audiosockets.mailman;

import static io.audiosockets.testkit.Wire.audio;
import static io.audiosockets.testkit.Wire.audioItems;
import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.Limits;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.protocol.GapReason;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.Wire;
import io.audiosockets.testkit.Wire.Item;
import io.audiosockets.internal.protocol.Ack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RETENTION_MAX_BYTES: what the mailman holds of all its streams together stays within its budget
 * however many streams there are; when full it lets go of the audio that arrived first, whatever
 * its stream, and a processor that still needed it gets the exact gap (never silence, never an
 * internal error). Raw clients, so every chunk's order of arrival is the test's.
 */
@Timeout(60)
class RetentionBudgetTest {
    /** The encoded size of one of {@link Wire#audio}'s chunks: the unit the budgets below are counted in. */
    private static final long CHUNK = audio("a", 0).length;

    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    private Mailman start(long budgetChunks) {
        return fixture.start(TestConfigs.fast().limits(Limits.DEFAULTS.withRetentionMaxBytes(budgetChunks * CHUNK)));
    }

    @Test
    void whenTheBudgetIsFullTheAudioThatArrivedFirstGoesAcrossStreamsAndAReaderGetsExactlyThatAsAGap() throws Exception {
        Mailman mailman = start(30);
        // There from the start, one chunk in flight per stream, and it does not acknowledge until the test says so.
        RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.RESUME, 1, Map.of(), "first", "second"));
        RawClient first = fixture.track(recorder(mailman.port(), "first"));
        produce(first, "first", 0, 19);
        RawClient second = fixture.track(recorder(mailman.port(), "second"));
        produce(second, "second", 0, 19); // 40 chunks: 10 more than the budget

        MailmanStats.Snapshot s = mailman.stats().snapshot();
        assertThat(s.retainedBytes()).as("held, all streams together").isLessThanOrEqualTo(30 * CHUNK);
        long evicted = s.budgetEvictions();
        assertThat(evicted).as("chunks let go for the budget").isBetween(10L, 19L);

        Map<String, List<Item>> got = new HashMap<>();
        while (got.getOrDefault("first", List.of()).stream().noneMatch(i -> i.to() == 19)
                || got.getOrDefault("second", List.of()).stream().noneMatch(i -> i.to() == 19)) {
            Item i = items(p, 1).get(0);
            got.computeIfAbsent(i.stream(), k -> new ArrayList<>()).add(i);
            if (!i.gap()) {
                p.send(new Ack(i.stream(), i.seq()));
            }
        }
        List<Item> expectedFirst = new ArrayList<>();
        expectedFirst.add(Item.audio("first", 0)); // in flight before the budget was full
        expectedFirst.add(Item.gap("first", 1, evicted - 1, GapReason.RETENTION_EXCEEDED.name()));
        expectedFirst.addAll(audioItems("first", evicted, 19));
        assertThat(got.get("first")).as("the stream that came first lost its oldest chunks, exactly those, as one gap")
                .containsExactlyElementsOf(expectedFirst);
        assertThat(got.get("second")).as("the stream that came later lost nothing")
                .containsExactlyElementsOf(audioItems("second", 0, 19));
    }

    @Test
    void aFloodOfStreamsStaysWithinTheBudgetAndALiveReaderOfAnotherStreamMissesNothing() throws Exception {
        Mailman mailman = start(100);
        RawClient steady = fixture.track(recorder(mailman.port(), "steady"));
        RawClient reader = fixture.track(processor(mailman.port(), "reader", StartPosition.LIVE, "steady"));
        List<Item> got = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            for (int round = 0; round < 10; round++) {
                for (int s = 0; s < 10; s++) { // ten new streams a round, 30 chunks each: 30 budgets' worth in all
                    RawClient flood = fixture.track(recorder(mailman.port(), "flood-" + round + "-" + s));
                    produce(flood, "flood-" + round + "-" + s, 0, 29);
                    flood.close();
                }
                produce(steady, "steady", round * 5L, round * 5L + 4);
                got.addAll(items(reader, 5));
                assertThat(mailman.stats().snapshot().retainedBytes()).as("held after round %d", round)
                        .isLessThanOrEqualTo(100 * CHUNK);
            }
            assertThat(logs.messages()).as("the budget is said to be full, with what to do")
                    .anyMatch(m -> m.contains("retention budget full") && m.contains("RETENTION_MAX_BYTES"));
            assertThat(logs.messages()).as("no internal error").noneMatch(m -> m.contains("INTERNAL"));
        }
        assertThat(got).as("the live reader of the steady stream got every chunk, no gap").containsExactlyElementsOf(
                audioItems("steady", 0, 49));
        assertThat(mailman.stats().snapshot().budgetEvictions()).isGreaterThan(0);
    }
}
