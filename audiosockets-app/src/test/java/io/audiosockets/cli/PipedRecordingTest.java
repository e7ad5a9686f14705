package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's first reproduction, as a user runs it: 40 s of raw PCM piped into {@code record
 * --source stdin} far faster than real time, more than the recorder's 30 s buffer holds, with the
 * mailman not there yet. A pipe can wait, so the recorder holds it back instead of dropping the
 * oldest chunks; every chunk reaches the processor, none as a gap, and {@code print} shows the
 * chunks' times as ahead of the clock rather than as a negative latency.
 */
@Timeout(120)
class PipedRecordingTest {
    private static final Pattern PRINT_LINE = Pattern.compile("^zeros\\s+#(\\d+)\\s.*\\s8000 frames\\s.*\\s(latency|ahead)\\s");
    /** 0.5 s chunks of 16 kHz s16 mono: 16,000 bytes each. */
    private static final int CHUNKS = 80;

    @TempDir
    Path dir;

    @Test
    void aPipeLongerThanTheRecorderBufferReachesAProcessorWholeThoughTheMailmanComesLate() throws Exception {
        int port = CliProcess.freePort();
        Path config = dir.resolve("server_info.json");
        // Retention longer than the 40 s of audio, so that the processor can start from the oldest chunk.
        Files.writeString(config, "{\"SERVER\": \"127.0.0.1\", \"PORT\": " + port + ", \"RETENTION_SECONDS\": 60, "
                + "\"logging_level\": \"INFO\"}");
        try (CliProcess record = CliProcess.start(dir, "record", "-c", config.toString(), "--source", "stdin",
                "--sample-format", "s16", "--stream", "zeros")) {
            // head -c 1280000 /dev/zero | ...: the writer blocks once the recorder stops reading, as head would.
            Thread pipe = new Thread(() -> {
                try (OutputStream stdin = record.stdin()) {
                    byte[] chunk = new byte[16_000];
                    for (int i = 0; i < CHUNKS; i++) {
                        stdin.write(chunk);
                    }
                } catch (IOException e) {
                    // the recorder ended: the assertions below say why
                }
            }, "pipe-writer");
            pipe.setDaemon(true);
            pipe.start();
            record.awaitErr("holding the source back");
            assertThat(record.err()).noneMatch(l -> l.contains("dropped the"));

            try (CliProcess server = CliProcess.start(dir, "server", "-c", config.toString());
                 CliProcess print = CliProcess.start(dir, "process", "-c", config.toString(), "--name", "zz",
                         "--stream", "zeros", "--start", "oldest", "print")) {
                server.awaitErr("mailman listening");
                print.awaitOut("^zeros\\s+#" + (CHUNKS - 1) + "\\s");
                assertThat(record.awaitExit()).as("record's exit status; stderr: %s", record.err()).isZero();

                List<Long> seqs = print.out().stream().map(PRINT_LINE::matcher).filter(Matcher::find)
                        .map(m -> Long.parseLong(m.group(1))).toList();
                assertThat(seqs).containsExactlyElementsOf(LongStream.range(0, CHUNKS).boxed().toList());
                assertThat(print.out()).noneMatch(l -> l.contains("GAP"));
                assertThat(print.out()).as("40 s of audio read in well under 40 s: stamped ahead of the clock")
                        .anyMatch(l -> l.startsWith("zeros") && l.contains(" ahead "));
                assertThat(record.err()).noneMatch(l -> l.contains("never reached") || l.contains("never acknowledged"));
            }
        }
    }
}
