package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void aRecordingThatNeverReachesTheMailmanExitsOne() throws Exception {
        int port = CliProcess.freePort();
        Path config = dir.resolve("short-buffer.json");
        Files.writeString(config, "{\"SERVER\": \"127.0.0.1\", \"RECORDER_BUFFER_SECONDS\": 1, \"logging_level\": \"error\"}");
        CliRun r = run("record", "-c", config.toString(), "-p", "" + port, "--seconds", "0.4", "--period", "0.2");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("2 of 2 chunks never reached the mailman at 127.0.0.1:" + port);
    }

    @Test
    void anInvalidStreamNameIsRefusedBeforeConnecting() {
        CliRun r = run("record", "--stream", "my stream", "--seconds", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("my stream");
    }
}
