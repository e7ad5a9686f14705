package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        Result r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("server", "record", "process", "demo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "record", "process", "demo"})
    void everyCommandHasHelp(String command) {
        Result r = run("help", command);
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: audiosockets " + command);
        if (!command.equals("demo")) {
            assertThat(r.out()).contains("--config", "--port");
        }
    }

    @Test
    void processListsItsBuiltIns() {
        Result r = run("help", "process");
        assertThat(r.out()).contains("print", "level", "vad", "logmel", "archive", "--name", "--start", "--window");
        Result noKind = run("process");
        assertThat(noKind.status()).isEqualTo(2);
        assertThat(noKind.err()).contains("logmel");
    }

    @Test
    void versionNamesTheProtocol() {
        Result r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("audiosockets", "wire protocol version 1");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Result r = run("server", "-c", dir.resolve("nope.json").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("nope.json", "not found");
    }

    @Test
    void aBadValueNamesTheFileAndTheKey() throws Exception {
        Path file = dir.resolve("server_info.json");
        Files.writeString(file, "{\"SERVER\": \"127.0.0.1\", \"PORT\": \"fifty\"}");
        Result r = run("record", "-c", file.toString(), "--source", "synth", "--seconds", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("server_info.json", "'PORT'");
    }

    @Test
    void malformedJsonIsNamed() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"PORT\": 5050,");
        Result r = run("process", "-c", file.toString(), "print");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("broken.json", "malformed JSON");
    }

    @Test
    void anUnknownSourceListsTheKnownOnes() {
        Result r = run("record", "--source", "microwave");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--source microwave", "synth:sine", "wav:PATH", "stdin");
    }

    @Test
    void anUnreadableWavIsNamed() {
        Result r = run("record", "--source", "wav:" + dir.resolve("missing.wav"));
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
    void anInvalidStreamNameIsRefusedBeforeConnecting() {
        Result r = run("record", "--stream", "my stream", "--seconds", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("my stream");
    }
}
