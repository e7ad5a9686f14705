package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as a user runs them, each in its own JVM: a server started with the paper's
 * config file unchanged, processors and a recorder connecting to it by that file, and the
 * lines they print.
 */
class CommandsEndToEndTest {
    private static final Pattern PRINT_LINE = Pattern.compile("^mic\\s+#(\\d+)\\s+\\S+\\s+(\\d+) frames\\s+16000 Hz 1 ch");

    /** A JVM ended by SIGTERM exits 128 + 15 once its shutdown hooks have run. */
    private static final int SIGTERM_STATUS = 143;

    @TempDir
    Path dir;

    /** The paper's server_info.json, with port 0 so the test never collides with anything. */
    private Path papersConfig() throws IOException {
        Path file = dir.resolve("server_info.json");
        Files.writeString(file, """
                {
                  "SERVER": "127.0.0.1",
                  "PORT": 0,
                  "HEADER": 64,
                  "FORMAT": "utf-8",
                  "DISCONNECT_MSG": "!DISCONNECT",
                  "logging_format": "%(asctime)s - %(message)s",
                  "logging_level": "INFO"
                }
                """);
        return file;
    }

    @Test
    void aRecordedWavFileReachesEveryProcessorAndTheArchiveHoldsItExactly() throws Exception {
        Path config = papersConfig();
        Path wav = dir.resolve("input.wav");
        short[] samples = writeWav(wav, 16_000, 24_000); // 1.5 s
        try (CliProcess server = CliProcess.start(dir, "server", "-c", config.toString())) {
            String port = server.awaitErr("mailman listening on 127\\.0\\.0\\.1:(\\d+)");
            try (CliProcess print = CliProcess.start(dir, "process", "-c", config.toString(), "-p", port, "print");
                 CliProcess archive = CliProcess.start(dir, "process", "-c", config.toString(), "-p", port, "--name", "keeper",
                         "archive", "--dir", dir.resolve("archive").toString())) {
                server.awaitErr("processor 'print' .* registered");
                server.awaitErr("processor 'keeper' .* registered");

                try (CliProcess record = CliProcess.start(dir, "record", "-c", config.toString(), "-p", port, "--stream", "mic",
                        "--source", "wav:" + wav, "--period", "0.25")) {
                    assertThat(record.awaitExit()).as("record exit status; stderr %s", record.err()).isZero();
                    assertThat(record.err()).anyMatch(l -> l.contains("capture ended after 6 chunks"));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> print.out().size() >= 6);
                // The archive header is rewritten after every chunk: the file is complete once it holds all 1.5 s.
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> readWav(onlyWav(dir.resolve("archive"))).length == samples.length);
                assertThat(print.stop()).as("print exit status after SIGTERM; stderr %s", print.err()).isEqualTo(SIGTERM_STATUS);
                assertThat(archive.stop()).as("archive exit status after SIGTERM; stderr %s", archive.err()).isEqualTo(SIGTERM_STATUS);
                server.awaitErr("(processor 'print' .* disconnected \\(BYE\\))");
                server.awaitErr("(processor 'keeper' .* disconnected \\(BYE\\))");

                List<String> lines = print.out();
                assertThat(lines).hasSize(6);
                for (int i = 0; i < 6; i++) {
                    Matcher m = PRINT_LINE.matcher(lines.get(i));
                    assertThat(m.find()).as("line %d: %s", i, lines.get(i)).isTrue();
                    assertThat(Long.parseLong(m.group(1))).isEqualTo(i);
                    assertThat(Integer.parseInt(m.group(2))).isEqualTo(4000);
                }
                assertThat(archive.out()).hasSize(1).allMatch(l -> l.startsWith("mic ") && l.contains("archive new file"));
                Path archived = onlyWav(dir.resolve("archive"));
                assertThat(archived.getFileName().toString()).startsWith("mic_");
                assertThat(readWav(archived)).as("archived samples").isEqualTo(samples);
            }
            assertThat(server.stop()).isEqualTo(SIGTERM_STATUS);
            assertThat(server.err()).anyMatch(l -> l.contains("recorder of stream 'mic'") && l.contains("disconnected (BYE)"));
        }
    }

    @Test
    void aProcessorStartedBeforeTheServerConnectsWhenItComes() throws Exception {
        Path config = papersConfig();
        int port = CliProcess.freePort();
        try (CliProcess level = CliProcess.start(dir, "process", "-c", config.toString(), "-p", "" + port, "level")) {
            level.awaitErr("processor 'level': mailman at 127\\.0\\.0\\.1:" + port + " not reachable .*; retrying every 1\\.0 s");
            try (CliProcess server = CliProcess.start(dir, "server", "-c", config.toString(), "-p", "" + port)) {
                server.awaitErr("processor 'level' .* registered");
                level.awaitErr("processor 'level': connected to");
                try (CliProcess record = CliProcess.start(dir, "record", "-c", config.toString(), "-p", "" + port,
                        "--source", "synth:sine:440", "--seconds", "1", "--period", "0.2")) {
                    assertThat(record.awaitExit()).isZero();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> level.out().size() >= 5);
                assertThat(level.out()).hasSize(5).allMatch(l -> l.startsWith("default ") && l.contains("rms   -9.0"));
                assertThat(level.stop()).isEqualTo(SIGTERM_STATUS);
                server.awaitErr("(processor 'level' .* disconnected \\(BYE\\))");
                server.stop();
            }
        }
    }

    private static Path onlyWav(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            List<Path> wavs = files.filter(p -> p.getFileName().toString().endsWith(".wav")).toList();
            assertThat(wavs).as("WAV files in %s", directory).hasSize(1);
            return wavs.get(0);
        }
    }

    @Test
    void aFileRecordedBeforeTheServerStartsIsStillDelivered() throws Exception {
        Path config = papersConfig();
        int port = CliProcess.freePort();
        try (CliProcess record = CliProcess.start(dir, "record", "-c", config.toString(), "-p", "" + port,
                "--source", "synth:sine:440", "--seconds", "1", "--period", "0.2")) {
            record.awaitErr("not reachable");
            record.awaitErr("source ended; waiting until it does");
            try (CliProcess server = CliProcess.start(dir, "server", "-c", config.toString(), "-p", "" + port)) {
                assertThat(record.awaitExit()).as("record exit status; stderr %s", record.err()).isZero();
                try (CliProcess print = CliProcess.start(dir, "process", "-c", config.toString(), "-p", "" + port,
                        "--start", "oldest", "print")) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> print.out().size() >= 5);
                    assertThat(print.out()).hasSize(5);
                    print.stop();
                }
                server.stop();
            }
        }
    }

    @Test
    void aProcessorWhoseOutputIsClosedEndsLikeAUnixFilter() throws Exception {
        Path config = papersConfig();
        try (CliProcess server = CliProcess.start(dir, "server", "-c", config.toString())) {
            String port = server.awaitErr("mailman listening on 127\\.0\\.0\\.1:(\\d+)");
            try (CliProcess print = CliProcess.start(dir, "process", "-c", config.toString(), "-p", port, "print");
                 CliProcess record = CliProcess.start(dir, "record", "-c", config.toString(), "-p", port,
                         "--source", "synth", "--period", "0.05")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> !print.out().isEmpty());
                print.closeItsOutput();
                assertThat(print.awaitExit()).as("exit status, as for SIGPIPE; stderr %s", print.err()).isEqualTo(141);
                server.awaitErr("(processor 'print' .* disconnected \\(BYE\\))");
                record.stop();
            }
            server.stop();
        }
    }

    static short[] writeWav(Path file, int rate, int frames) throws IOException {
        short[] s = new short[frames];
        byte[] bytes = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            s[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 523.25 * i / rate) + (i % 7) - 3);
            bytes[2 * i] = (byte) s[i];
            bytes[2 * i + 1] = (byte) (s[i] >> 8);
        }
        AudioFormat f = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new java.io.ByteArrayInputStream(bytes), f, frames)) {
            AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, file.toFile());
        }
        return s;
    }

    static short[] readWav(Path file) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            byte[] b = in.readAllBytes();
            short[] s = new short[b.length / 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
            }
            return s;
        }
    }
}
