package io.audiosockets.mailman;

import static io.audiosockets.testkit.Wire.audio;
import static io.audiosockets.testkit.Wire.audioItems;
import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.config.Limits;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.Wire.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A processor's pump visits only the streams that woke it, so acknowledgements alone must keep
 * every stream of a connection going once nothing new arrives, including a stream held back by
 * MAX_UNACKED_BYTES, which all the connection's streams share (a stream with nothing in flight
 * always gets a chunk; one with chunks in flight is pumped again by their acknowledgement), and
 * the streams held back take turns.
 */
@Timeout(30)
class SharedUnackedBytesTest {
    private static final long CHUNK = audio("a", 0).length;

    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    @Test
    void acknowledgementsAloneDeliverEveryStreamHeldBackByTheSharedBytes() throws Exception {
        Mailman mailman = fixture.start(TestConfigs.fast().limits(Limits.DEFAULTS.withMaxUnackedBytes(3 * CHUNK)));
        RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.OLDEST, 64, Map.of(), "a", "b"));
        RawClient a = fixture.track(recorder(mailman.port(), "a"));
        RawClient b = fixture.track(recorder(mailman.port(), "b"));
        // One chunk of each first, acknowledged: the mailman now knows each stream's chunk size.
        produce(a, "a", 0, 0);
        produce(b, "b", 0, 0);
        Map<String, List<Item>> got = new HashMap<>();
        readAndAcknowledge(p, 2, got);
        produce(a, "a", 1, 9); // three of these fill MAX_UNACKED_BYTES...
        produce(b, "b", 1, 9); // ...so b is held back; from here on nothing new arrives to wake anything

        readAndAcknowledge(p, 18, got); // fails after 5 s of nothing: a stream left waiting for a wake-up
        assertThat(got.get("a")).containsExactlyElementsOf(audioItems("a", 0, 9));
        assertThat(got.get("b")).containsExactlyElementsOf(audioItems("b", 0, 9));
    }

    @Test
    void streamsHeldBackByTheSharedBytesTakeTurns() throws Exception {
        Mailman mailman = fixture.start(TestConfigs.fast().limits(Limits.DEFAULTS.withMaxUnackedBytes(8 * CHUNK)));
        List<String> streams = List.of("a", "b", "c", "d");
        RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.OLDEST, 64, Map.of(), streams.toArray(String[]::new)));
        Map<String, RawClient> recorders = new HashMap<>();
        for (String s : streams) {
            recorders.put(s, fixture.track(recorder(mailman.port(), s)));
            produce(recorders.get(s), s, 0, 0);
        }
        Map<String, List<Item>> got = new HashMap<>();
        readAndAcknowledge(p, streams.size(), got);
        for (String s : streams) {
            produce(recorders.get(s), s, 1, 20); // twenty each, eight chunks' worth of bytes in flight for all four
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> mailman.status().streams().stream()
                .filter(st -> st.lastSeq() == 20).count() == streams.size()); // every stream's chunks are in the mailman

        List<String> order = readAndAcknowledge(p, 80, got);
        // The first eight fill the shared bytes with the stream that came first; from then on, each ACK serves the
        // stream held back longest. (Before: every ACK went to the first stream of the connection with room, 'a'
        // until it had nothing left, while 'c' and 'd' got one chunk in eight.)
        Map<String, Long> turns = order.subList(8, 40).stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(turns).as("streams held back by the shared bytes take turns: " + order)
                .containsOnlyKeys(streams).allSatisfy((stream, n) -> assertThat(n).isGreaterThanOrEqualTo(7));
        for (String s : streams) {
            assertThat(got.get(s)).containsExactlyElementsOf(audioItems(s, 0, 20));
        }
    }

    /** Reads {@code n} chunks, acknowledging each at once; returns their streams in the order they came. */
    private static List<String> readAndAcknowledge(RawClient p, int n, Map<String, List<Item>> got) throws Exception {
        List<String> order = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Item i = items(p, 1).get(0);
            got.computeIfAbsent(i.stream(), s -> new ArrayList<>()).add(i);
            order.add(i.stream());
            p.send(new Ack(i.stream(), i.seq()));
        }
        return order;
    }
}
