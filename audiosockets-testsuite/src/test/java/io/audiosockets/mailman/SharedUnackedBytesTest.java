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
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.Wire.Item;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A processor's pump visits only the streams that woke it, so acknowledgements alone must keep
 * every stream of a connection going once nothing new arrives, including a stream held back by
 * MAX_UNACKED_BYTES, which all the connection's streams share (a stream with nothing in flight
 * always gets a chunk; one with chunks in flight is pumped again by their acknowledgement).
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

    private static void readAndAcknowledge(RawClient p, int n, Map<String, List<Item>> got) throws Exception {
        for (int k = 0; k < n; k++) {
            Item i = items(p, 1).get(0);
            got.computeIfAbsent(i.stream(), s -> new ArrayList<>()).add(i);
            p.send(new Ack(i.stream(), i.seq()));
        }
    }
}
