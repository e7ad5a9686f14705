package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mailman and its clients on separate hosts, not only loopback: three network namespaces made
 * by the test ({@link NetworkNamespaces}), the mailman's host holding a bridge that the recorder's
 * and the processor's hosts are joined to by veth pairs. Every part is the real {@code audiosockets}
 * command in its own JVM, started on its host with {@code ip netns exec}.
 *
 * <p>It shows: {@code server --host ADDRESS} binds that address and serves the other hosts, and
 * warns that it does so without a token; TLS and a token across hosts, a wrong token refused; and
 * a host whose link goes down for 5 s ({@code ip link set eth0 down}) and comes back: the recorder's
 * or the processor's, and either way the processor gets every chunk once, in order, with no gap,
 * and the recorder ends with nothing lost. Skipped, saying why, where the machine refuses network
 * namespaces.
 */
class NetworkNamespacesTest {
    private static final String MAIL = "mail";
    private static final String REC = "rec";
    private static final String PROC = "proc";
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Pattern LATENCY = Pattern.compile("latency\\s+(-?[0-9.]+) ms");

    private static NetworkNamespaces hosts;
    /** A mailman without a token on the mailman's host, shared by the tests that need no TLS. */
    private static CliProcess plainServer;
    private static String plainPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeHostsAndAMailman(@TempDir Path serverDir) throws Exception {
        hosts = NetworkNamespaces.create(MAIL, REC, PROC);
        plainServer = start(MAIL, serverDir, Map.of(), "server", "--host", hosts.address(MAIL), "-p", "0");
        plainPort = plainServer.awaitErr("mailman listening on " + Pattern.quote(hosts.address(MAIL)) + ":(\\d+)$");
    }

    @AfterAll
    static void removeHosts() throws Exception {
        try {
            if (plainServer != null) {
                plainServer.stop();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    @Test
    void aMailmanBoundToItsNetworkAddressServesOtherHostsAndWarnsThatItHasNoToken() throws Exception {
        String mail = hosts.address(MAIL);
        plainServer.awaitErr("\\*\\*\\* mailman reachable from other machines WITHOUT A TOKEN: anyone who can reach "
                + Pattern.quote(mail + ":" + plainPort) + " can inject audio and read every stream");
        try (CliProcess print = on(PROC, Map.of(), "process", "--host", mail, "-p", plainPort, "--name", "bound",
                "--stream", "bound", "print")) {
            plainServer.awaitErr("processor 'bound' #\\d+ /" + Pattern.quote(hosts.address(PROC)) + ":\\d+ registered");
            try (CliProcess record = on(REC, Map.of(), "record", "--host", mail, "-p", plainPort, "--stream", "bound",
                    "--source", "synth:sine", "--seconds", "1", "--period", "0.1")) {
                assertThat(record.awaitExit()).as("recorder's exit status; stderr: %s", record.err()).isZero();
            }
            assertThat(plainServer.err()).anyMatch(l -> l.matches(".*recorder of stream 'bound' #\\d+ /"
                    + Pattern.quote(hosts.address(REC)) + ":\\d+ registered.*"));
            assertThat(receivedOnceEach(print, "bound", 10)).as("sequence numbers printed").isEqualTo(sequence(10));
        }
    }

    @Test
    void tlsAndATokenCarryAudioAcrossHostsAndAWrongTokenIsRefused() throws Exception {
        String mail = hosts.address(MAIL);
        String token = "netns-" + UUID.randomUUID();
        Map<String, String> withToken = Map.of("AUDIOSOCKETS_TOKEN", token);
        try (CliProcess server = on(MAIL, withToken, "server", "--host", mail, "-p", "0", "--tls-self-signed")) {
            String fingerprint = server.awaitOut("TLS_FINGERPRINT ([0-9A-F:]{95})");
            String port = server.awaitErr("mailman listening on " + Pattern.quote(mail) + ":(\\d+)$");
            server.awaitErr("speaks TLS only");
            try (CliProcess print = on(PROC, withToken, "process", "--host", mail, "-p", port, "--tls-fingerprint", fingerprint, "print");
                 CliProcess intruder = on(PROC, Map.of("AUDIOSOCKETS_TOKEN", token + "x"), "process", "--host", mail, "-p", port,
                         "--tls-fingerprint", fingerprint, "--name", "intruder", "print")) {
                server.awaitErr("processor 'print' #\\d+ /" + Pattern.quote(hosts.address(PROC)) + ":\\d+ registered");
                server.awaitErr("refused a processor from /" + Pattern.quote(hosts.address(PROC)) + ":\\d+: wrong token");
                intruder.awaitErr("wrong token for a processor");
                assertThat(intruder.awaitExit()).as("the refused processor's exit status").isNotZero();
                // The recorder takes everything from a config file, as a deployment would.
                Path config = dir.resolve("recorder.json");
                Files.writeString(config, "{\"SERVER\": \"" + mail + "\", \"PORT\": " + port + ", \"TOKEN\": \"" + token
                        + "\", \"TLS_FINGERPRINT\": \"" + fingerprint + "\"}", StandardCharsets.UTF_8);
                try (CliProcess record = on(REC, Map.of(), "record", "-c", config.toString(), "--stream", "mic",
                        "--source", "synth:sine", "--seconds", "1", "--period", "0.1")) {
                    assertThat(record.awaitExit()).as("recorder's exit status; stderr: %s", record.err()).isZero();
                }
                assertThat(receivedOnceEach(print, "mic", 10)).as("sequence numbers printed").isEqualTo(sequence(10));
            }
            assertThat(server.err()).noneMatch(l -> l.contains("WITHOUT A TOKEN"))
                    .noneMatch(l -> l.contains("processor 'intruder'") && l.contains("registered"));
        }
    }

    @Test
    void aRecorderWhoseLinkIsDownFor5SecondsLosesNothing() throws Exception {
        deliversEverythingAcrossAnOutageOf(REC, "rec-down");
    }

    @Test
    void aProcessorWhoseLinkIsDownFor5SecondsGetsEveryChunkOnce() throws Exception {
        deliversEverythingAcrossAnOutageOf(PROC, "proc-down");
    }

    /**
     * 7 s of audio in 50 ms chunks from the recorder's host to the processor's, with {@code host}'s
     * link down for 5 s once the stream flows. The 5 s are shorter than the heartbeat timeout, so
     * both TCP connections outlive the outage: what was sent meanwhile is retransmitted, what was
     * captured meanwhile waits in the recorder's buffer or the mailman's retention.
     */
    private void deliversEverythingAcrossAnOutageOf(String host, String stream) throws Exception {
        String mail = hosts.address(MAIL);
        int chunks = 140;
        try (CliProcess print = on(PROC, Map.of(), "process", "--host", mail, "-p", plainPort, "--name", stream,
                "--stream", stream, "print")) {
            plainServer.awaitErr("processor '" + stream + "' #\\d+ /" + Pattern.quote(hosts.address(PROC)) + ":\\d+ registered");
            try (CliProcess record = on(REC, Map.of(), "record", "--host", mail, "-p", plainPort, "--stream", stream,
                    "--source", "synth:sine", "--seconds", "7", "--period", "0.05")) {
                print.awaitOut("^" + Pattern.quote(stream) + "\\s+#5\\s");
                hosts.linkDown(host);
                try {
                    Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for something
                } finally {
                    hosts.linkUp(host);
                }
                assertThat(record.awaitExit()).as("recorder's exit status; stderr: %s", record.err()).isZero();
                assertThat(record.err()).noneMatch(l -> l.contains("never reached the mailman"));
                assertThat(record.awaitErr("capture ended after (\\d+) chunks")).isEqualTo(Integer.toString(chunks));
            }
            assertThat(receivedOnceEach(print, stream, chunks)).as("sequence numbers printed").isEqualTo(sequence(chunks));
            // A chunk captured just after the link went down cannot arrive before it came back up:
            // proof that the outage was real, whatever else the machine was doing.
            double longest = print.out().stream().map(LATENCY::matcher).filter(Matcher::find)
                    .mapToDouble(m -> Double.parseDouble(m.group(1))).max().orElse(0);
            assertThat(longest).as("the longest latency printed, in ms").isGreaterThan(OUTAGE.toMillis() - 1000.0);
        }
    }

    private CliProcess on(String host, Map<String, String> env, String... args) throws Exception {
        return start(host, dir, env, args);
    }

    /**
     * Starts {@code audiosockets args...} on {@code host}. Its JVM compiles with C1 only and
     * collects with one thread: the same behaviour, started with much less CPU, which matters when
     * five JVMs share two busy cores.
     */
    private static CliProcess start(String host, Path dir, Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        return CliProcess.startUnder(hosts.exec(host), dir, all, args);
    }

    /**
     * Waits for {@code count} chunks printed, stops the processor, and returns the sequence numbers
     * it printed, after checking it printed no gap and no chunk twice.
     */
    private static List<Long> receivedOnceEach(CliProcess print, String stream, int count) throws InterruptedException {
        Pattern line = Pattern.compile("^" + Pattern.quote(stream) + "\\s+#(\\d+)\\s");
        await().atMost(Duration.ofSeconds(30)).alias(count + " chunks printed")
                .until(() -> print.out().stream().filter(l -> line.matcher(l).find()).count() >= count);
        print.stop();
        assertThat(print.out()).as("what print printed").noneMatch(l -> l.contains(" GAP ")).noneMatch(l -> l.contains("redelivered"));
        return print.out().stream().map(line::matcher).filter(Matcher::find).map(m -> Long.parseLong(m.group(1))).toList();
    }

    private static List<Long> sequence(int count) {
        return LongStream.range(0, count).boxed().toList();
    }
}
