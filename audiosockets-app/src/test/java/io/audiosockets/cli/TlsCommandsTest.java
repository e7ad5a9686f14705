package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS as a user tries it out, every part its own JVM: {@code server --tls-self-signed} prints the
 * fingerprint, a processor pins it with {@code --tls-fingerprint}, a recorder too, and audio flows;
 * a processor pinning another fingerprint is refused and says why.
 */
class TlsCommandsTest {
    private static final Pattern PRINT_LINE = Pattern.compile("^mic\\s+#(\\d+)\\s");

    @TempDir
    Path dir;

    @Test
    void aSelfSignedMailmanServesClientsThatPinItsFingerprintAndRefusesOthers() throws Exception {
        try (CliProcess server = CliProcess.start(dir, "server", "-p", "0", "--tls-self-signed")) {
            String fingerprint = server.awaitOut("TLS_FINGERPRINT ([0-9A-F:]{95})");
            String port = server.awaitErr("mailman listening on 127\\.0\\.0\\.1:(\\d+)");
            server.awaitErr("speaks TLS only");
            String wrong = fingerprint.startsWith("00") ? "11" + fingerprint.substring(2) : "00" + fingerprint.substring(2);
            try (CliProcess print = CliProcess.start(dir, "process", "-p", port, "--tls-fingerprint", fingerprint, "print");
                 CliProcess wary = CliProcess.start(dir, "process", "-p", port, "--tls-fingerprint", wrong, "--name", "wary", "print")) {
                server.awaitErr("processor 'print' .* registered");
                try (CliProcess record = CliProcess.start(dir, "record", "-p", port, "--tls-fingerprint", fingerprint,
                        "--stream", "mic", "--source", "synth", "--seconds", "1", "--period", "0.1")) {
                    assertThat(record.awaitExit()).isZero();
                }
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                        .until(() -> print.out().stream().filter(l -> PRINT_LINE.matcher(l).find()).count() == 10);
                wary.awaitErr("TLS handshake with the mailman at 127.0.0.1:" + port + " failed");
                assertThat(server.err()).noneMatch(l -> l.contains("processor 'wary'") && l.contains("registered"));
            }
        }
    }
}
