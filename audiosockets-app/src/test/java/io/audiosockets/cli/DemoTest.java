package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: the demo runs with nothing set up, ends by itself, and shows every
 * chunk's level and the speech boundaries of its signal, sample-accurately.
 */
class DemoTest {
    @Test
    void theDemoShowsLevelsAndSpeechAndLosesNothing() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"demo", "--seconds", "2.5"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(status).as("exit status; stderr: %s", err).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("demo: mailman on 127.0.0.1:");
        List<String> levels = lines.stream().filter(l -> l.contains(" level rms ")).toList();
        assertThat(levels).as("one level line per 0.1 s chunk").hasSize(25);
        for (int i = 0; i < 25; i++) {
            assertThat(levels.get(i)).startsWith(String.format("demo         #%-6d", i));
        }
        // The signal: 1 s of faint noise, then a tone from 1 s to 2 s, then noise again.
        assertThat(levels.get(5)).contains("rms  -5");
        assertThat(levels.get(15)).contains("rms   -9.0");
        assertThat(lines).anyMatch(l -> l.contains("speech start") && l.contains("(sample 16000)"));
        assertThat(lines).anyMatch(l -> l.contains("speech end") && l.contains("(sample 32000)") && l.contains("lasted 1.00 s"));
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("demo: 25 chunks captured, 25 acknowledged by the mailman; level processed 25, vad processed 25; 0 chunks lost");
    }
}
