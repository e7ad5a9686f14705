package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line itself: help, version, and errors that name what to fix, with status 2. */
class CommandLineTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        CliRun r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("server", "record", "process", "demo", "devices");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "record", "process", "demo", "devices"})
    void everyCommandHasHelp(String command) {
        CliRun r = run("help", command);
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: audiosockets " + command);
        if (!command.equals("demo") && !command.equals("devices")) {
            assertThat(r.out()).contains("--config", "--port");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "record", "process", "demo", "devices", "process print", "process level", "process vad",
        "process logmel", "process archive"})
    void everyCommandAnswersHelpItself(String command) {
        String[] args = (command + " --help").split(" ");
        CliRun r = run(args);
        assertThat(r.status()).as("%s --help: %s", command, r.err()).isZero();
        assertThat(r.out()).contains("Usage: audiosockets " + command);
    }

    @Test
    void eachKindDescribesItsOwnOptions() {
        assertThat(run("process", "logmel", "--help").out()).contains("--csv", "--mels");
        assertThat(run("process", "vad", "--help").out()).contains("--frame-ms", "--hangover-ms");
        assertThat(run("process", "archive", "--help").out()).contains("--dir", "--rotate");
    }

    @Test
    void processListsItsBuiltIns() {
        CliRun r = run("help", "process");
        assertThat(r.out()).contains("print", "level", "vad", "logmel", "archive", "--name", "--start", "--window");
        CliRun noKind = run("process");
        assertThat(noKind.status()).isEqualTo(2);
        assertThat(noKind.err()).contains("Missing the kind of processor", "logmel");
    }

    @Test
    void versionNamesTheProtocol() {
        CliRun r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("audiosockets", "wire protocol version 1");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        CliRun r = run("server", "-c", dir.resolve("nope.json").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("nope.json", "not found");
    }

    @Test
    void aBadValueNamesTheFileAndTheKey() throws Exception {
        Path file = dir.resolve("server_info.json");
        Files.writeString(file, "{\"SERVER\": \"127.0.0.1\", \"PORT\": \"fifty\"}");
        CliRun r = run("record", "-c", file.toString(), "--source", "synth", "--seconds", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("server_info.json", "'PORT'");
    }

    @Test
    void aMisspeltKeyGetsTheClosestKnownOne() throws Exception {
        Path file = dir.resolve("server_info.json");
        Files.writeString(file, "{\"SERVER\": \"127.0.0.1\", \"RETENTION_SECOND\": 10}");
        CliRun r = run("process", "-c", file.toString(), "print");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("server_info.json", "'RETENTION_SECOND'", "did you mean RETENTION_SECONDS?");
    }

    @Test
    void malformedJsonIsNamed() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"PORT\": 5050,");
        CliRun r = run("process", "-c", file.toString(), "print");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("broken.json", "malformed JSON");
    }

    @Test
    void anUnknownSourceListsTheKnownOnes() {
        CliRun r = run("record", "--source", "microwave");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--source microwave", "synth:sine", "wav:PATH", "stdin");
    }

    @Test
    void anUnreadableWavIsNamed() {
        CliRun r = run("record", "--source", "wav:" + dir.resolve("missing.wav"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("missing.wav");
    }

    @Test
    void badFlagValuesAreNamed() {
        assertThat(run("record", "--period", "-1", "--seconds", "1").err()).contains("--period");
        assertThat(run("process", "--start", "yesterday", "print").err()).contains("--start yesterday");
        assertThat(run("process", "--log-level", "loud", "print").err()).contains("--log-level");
        assertThat(run("record", "--sample-format", "u8", "--seconds", "1").err()).contains("--sample-format u8");
    }

    @Test
    void processorOptionsAreCheckedBeforeConnecting() {
        CliRun window = run("process", "--window", "0", "print");
        assertThat(window.status()).isEqualTo(2);
        assertThat(window.err()).contains("audiosockets process print: --window 0");
        CliRun csv = run("process", "logmel", "--csv", dir.resolve("no/such/dir/x.csv").toString());
        assertThat(csv.status()).isEqualTo(2);
        assertThat(csv.err()).contains("--csv", "x.csv", "cannot create").doesNotContain("\tat ");
        assertThat(run("process", "logmel", "--mels", "0").err()).contains("--mels 0");
        assertThat(run("process", "--port", "70000", "print").err()).contains("--port 70000");
        assertThat(run("process", "vad", "--frame-ms", "-5").status()).isEqualTo(2);
    }

    @Test
    void sourceOptionsAreChecked() {
        assertThat(run("record", "--seconds", "0").err()).contains("--seconds 0");
        // A WAV file named like a synthetic source is still a file.
        CliRun wav = run("record", "--source", dir.resolve("synthetic_voice.wav").toString());
        assertThat(wav.status()).isEqualTo(2);
        assertThat(wav.err()).contains("cannot read WAV file", "synthetic_voice.wav");
        assertThat(run("record", "--source", "synthesizer").err()).contains("unknown source");
    }

    @Test
    void aRecordingMadeBeforeTheMailmanStartsWaitsForItAndIsDeliveredWhenItComes() throws Exception {
        int port = CliProcess.freePort();
        Path config = dir.resolve("late-mailman.json");
        Files.writeString(config, "{\"SERVER\": \"127.0.0.1\", \"PORT\": " + port + ", \"RECORDER_BUFFER_SECONDS\": 1, "
                + "\"RETENTION_SECONDS\": 60}");
        // A synthetic source can wait: the recorder neither drops its chunks nor gives up on them.
        try (CliProcess record = CliProcess.start(dir, "record", "-c", config.toString(), "--seconds", "0.4", "--period", "0.2")) {
            record.awaitErr("source ended; waiting until it does");
            try (CliProcess server = CliProcess.start(dir, "server", "-c", config.toString());
                 CliProcess print = CliProcess.start(dir, "process", "-c", config.toString(), "--start", "oldest", "print")) {
                assertThat(record.awaitExit()).as("record's exit status; stderr: %s", record.err()).isZero();
                print.awaitOut("^default\\s+#1\\s");
                assertThat(record.err()).noneMatch(l -> l.contains("never reached"));
            }
        }
    }

    @Test
    void anInvalidStreamNameIsRefusedBeforeConnecting() {
        CliRun r = run("record", "--stream", "my stream", "--seconds", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("my stream");
    }

    @Test
    void anUnknownKindIsNamedWithTheKnownOnes() {
        CliRun r = run("process", "--name", "x", "BOGUSKIND");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown processor kind 'BOGUSKIND'", "print, level, vad, logmel, archive")
                .doesNotContain("Unmatched argument");
        CliRun extra = run("process", "print", "BOGUSKIND");
        assertThat(extra.status()).isEqualTo(2);
        assertThat(extra.err()).contains("'BOGUSKIND'", "print takes only options").doesNotContain("Unmatched argument");
    }

    @Test
    void optionsOfProcessAfterTheKindAreShownBeforeIt() {
        CliRun r = run("process", "-p", "5999", "vad", "--name", "x", "--frame-ms", "10", "--stream=a,b");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--name", "--stream", "go before the kind",
                "audiosockets process -p 5999 --name x --stream=a,b vad --frame-ms 10").doesNotContain("Unknown options");
        CliRun config = run("process", "print", "-c", "my.json", "--window", "1");
        assertThat(config.status()).isEqualTo(2);
        assertThat(config.err()).contains("audiosockets process -c my.json --window 1 print");
    }

    @Test
    void anOptionNoCommandKnowsIsStillReportedAsUnknown() {
        CliRun r = run("process", "vad", "--bogus");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--bogus").doesNotContain("go before the kind");
    }

    @Test
    void aVadFrameOtherThanTenTwentyOrThirtyIsRefused() throws Exception {
        // A separate process: were the frame accepted, the processor would wait for a mailman forever.
        try (CliProcess vad = CliProcess.start(dir, "process", "-p", "" + CliProcess.freePort(), "vad", "--frame-ms", "15")) {
            assertThat(vad.awaitExit()).isEqualTo(2);
            assertThat(String.join("\n", vad.err())).contains("--frame-ms 15", "10, 20 or 30");
        }
    }

    @Test
    void aFileThatIsNotAudioIsBadInput() throws Exception {
        Path bogus = dir.resolve("bogus.wav");
        Files.writeString(bogus, "this is not a WAV file\n");
        CliRun r = run("record", "--source", bogus.toString(), "--seconds", "1");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--source", "bogus.wav", "not an audio file");
        CliRun missing = run("record", "--source", dir.resolve("missing.wav").toString(), "--seconds", "1");
        assertThat(missing.status()).isEqualTo(2);
    }

    @Test
    void anAddressNotOfThisMachineIsToldApartFromAPortInUse() throws Exception {
        InetAddress testNet = InetAddress.getByName("192.0.2.1"); // TEST-NET-1: never a local address; we only try to bind it
        Assumptions.assumeTrue(NetworkInterface.getByInetAddress(testNet) == null, "192.0.2.1 is an address of this machine");
        try (CliProcess server = CliProcess.start(dir, "server", "--host", "192.0.2.1", "-p", "0")) {
            assertThat(server.awaitExit()).isEqualTo(1);
            String err = String.join("\n", server.err());
            assertThat(err).contains("192.0.2.1", "not an address of this machine", "0.0.0.0").doesNotContain("another mailman");
        }
    }

    @Test
    void aPortInUseSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             CliProcess server = CliProcess.start(dir, "server", "--host", "127.0.0.1", "-p", "" + taken.getLocalPort())) {
            assertThat(server.awaitExit()).isEqualTo(1);
            String err = String.join("\n", server.err());
            assertThat(err).contains("127.0.0.1:" + taken.getLocalPort(), "already in use", "choose another PORT")
                    .doesNotContain("not an address of this machine");
        }
    }

    @Test
    void onlyTheOptionsThatApplyAppearInHelp() {
        // The option itself, not the mention in --tls-self-signed of what clients pin with.
        assertThat(run("server", "--help").out()).contains("--tls-self-signed").doesNotContain("--tls-fingerprint=");
        assertThat(run("record", "--help").out()).contains("--tls-fingerprint=SHA256");
        assertThat(run("process", "--help").out()).contains("--tls-fingerprint=SHA256");
        CliRun r = run("server", "--tls-fingerprint", "AB:CD");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--tls-fingerprint");
    }
}
