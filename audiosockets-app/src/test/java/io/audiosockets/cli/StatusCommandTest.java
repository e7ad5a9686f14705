package io.audiosockets.cli;

import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.config.Security;
import io.audiosockets.http.MailmanHttp;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.mailman.MailmanEvent;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code audiosockets status} run in this JVM against a real mailman's HTTP side: its tables name
 * the stream and the processor with what the raw clients did (virtual time, so the lag is exact),
 * a mailman with a token is asked with it, and nothing listening at {@code --url} is an error that
 * says what to check.
 */
@Timeout(60)
class StatusCommandTest {
    @RegisterExtension
    final MailmanFixture fixture = MailmanFixture.virtualTime();

    @Test
    void showsTheStreamTheProcessorWithItsLagAndTheRecentEvents() throws Exception {
        Mailman mailman = fixture.mailman();
        MailmanHttp http = fixture.track(MailmanHttp.start(mailman, "127.0.0.1", 0));
        RawClient p = fixture.track(processor(mailman.port(), "slowpoke", StartPosition.OLDEST, "mic"));
        RawClient mic = fixture.track(recorder(mailman.port(), "mic"));
        produce(mic, "mic", 0, 9);
        assertThat(items(p, 10)).hasSize(10);
        p.send(new Ack("mic", 5));
        await().atMost(Duration.ofSeconds(30)).until(() -> mailman.status().processors().get(0).cursors().get(0).ackedSeq() == 5);
        fixture.ticker().advance(Duration.ofSeconds(3)); // chunk 6 has waited 3 s for its acknowledgement
        // The mailman looks for processors behind once a second (real time): wait for its LAG event before asking.
        await().atMost(Duration.ofSeconds(30)).until(() -> mailman.status().recentEvents().stream()
                .anyMatch(e -> e.kind() == MailmanEvent.Kind.LAG));

        CliRun r = CliRun.run("status", "--url", http.base() + "/");
        assertThat(r.status()).as("status: %s", r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("1 streams", "1 processors", "10 chunks in", "10 delivered", "0 gaps");
        assertThat(row(lines, "STREAM")).containsExactly("STREAM", "KIND", "RECORDER", "CHUNKS/S", "LAST", "SEQ", "HELD", "LAST",
                "CHUNK");
        // 3 s since the last chunk: none in the 2 s the rate is taken over.
        assertThat(row(lines, "mic")).as(r.out()).containsExactly("mic", "audio", "connected", "0.0", "9", "0.1", "s", "3.0", "s",
                "ago");
        assertThat(row(lines, "PROCESSOR")).startsWith("PROCESSOR", "STREAMS", "DELIVERED");
        List<String> proc = row(lines, "slowpoke");
        assertThat(proc).as(r.out()).hasSize(8).startsWith("slowpoke", "mic", "10", "4", "3.00", "s", "0");
        assertThat(proc.get(7)).startsWith("127.0.0.1:");
        assertThat(r.out()).contains("RECENT EVENTS");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("PROCESSOR_JOINED", "slowpoke"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("RECORDER_JOINED", "mic"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("LAG", "slowpoke (mic)", "3.0 s behind stream 'mic'"));
    }

    @Test
    void aMailmanWithATokenIsAskedWithIt() throws Exception {
        Mailman mailman = fixture.start(TestConfigs.fast().security(Security.NONE.withTokens("tok3n", "", "")));
        MailmanHttp http = fixture.track(MailmanHttp.start(mailman, "127.0.0.1", 0));

        CliRun without = CliRun.run("status", "--url", http.base());
        assertThat(without.status()).isEqualTo(1);
        assertThat(without.err()).contains(http.base(), "requires the mailman's token", "--token");

        CliRun with = CliRun.run("status", "--url", http.base(), "--token", "tok3n");
        assertThat(with.status()).as("status: %s", with.err()).isZero();
        assertThat(with.out()).contains("no streams", "no processors connected");
    }

    @Test
    void nothingListeningAtTheUrlIsAnErrorThatSaysWhatToCheck() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed at once: nothing listens there now
        }
        String url = "http://127.0.0.1:" + port;
        CliRun r = CliRun.run("status", "--url", url);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("no mailman HTTP side at " + url, "--http-port");
        assertThat(r.out()).isEmpty();
    }

    /** The words of the first line that starts with {@code first}, a table's row. */
    private static List<String> row(List<String> lines, String first) {
        String line = lines.stream().filter(l -> l.startsWith(first + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + first + "' in:\n" + String.join("\n", lines)));
        return Arrays.asList(line.trim().split("\\s+"));
    }
}
