package io.audiosockets.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.SampleFormat;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kills a writing JVM with SIGKILL and checks that what it leaves are valid WAV files. */
class WavArchiveKillTest {
    private static final Logger log = LoggerFactory.getLogger(WavArchiveKillTest.class);

    @TempDir
    Path dir;

    /** Starts {@link ArchiveWriterMain}, waits for its {@code WROTE n} and kills it forcibly. */
    private static void runAndKill(Path dir, int signalAfter, String mode, String format) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ArchiveWriterMain.class.getName(), dir.toString(), Integer.toString(signalAfter), mode, format);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.equals("WROTE " + signalAfter)) {
                    break;
                }
            }
            assertThat(output).as("child output").contains("WROTE " + signalAfter);
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        // 137 = killed by SIGKILL, not a normal exit.
        assertThat(p.exitValue()).as("exit value of the killed child").isEqualTo(137);
    }

    private static long blockAlign(SampleFormat f) {
        return (long) ArchiveWriterMain.CHANNELS * f.bytesPerSample();
    }

    @Test
    void killedWhileIdleLeavesExactlyTheChunksWritten() throws Exception {
        int chunks = 53; // 53 x 320 frames = 1.06 s: four full 250 ms files and one open file
        runAndKill(dir, chunks, "block", "s16");
        List<Path> files = WavTestFiles.wavs(dir);
        assertThat(files).hasSize(5);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int seq = 0; seq < chunks; seq++) {
            expected.write(ArchiveWriterMain.chunk(seq, SampleFormat.PCM_S16LE).data());
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (Path f : files) {
            WavTestFiles.Header h = WavTestFiles.header(f);
            assertThat(h.dataSize()).as("%s data size", f.getFileName()).isEqualTo(Files.size(f) - h.dataOffset());
            assertThat(h.riffSize()).isEqualTo(Files.size(f) - 8);
            got.write(WavTestFiles.readWithJavaSound(f));
        }
        assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(WavTestFiles.header(files.get(4)).dataSize()).isEqualTo((chunks * 320L - 4 * 4000L) * 4);
    }

    @Test
    void killedWhileWritingLeavesOnlyValidFiles() throws Exception {
        for (String format : new String[] {"s16", "f32"}) {
            Path sub = Files.createDirectories(dir.resolve(format));
            runAndKill(sub, 200, "continue", format);
            checkValidAfterKill(sub, SampleFormat.parse(format));
        }
    }

    /**
     * Every file opens with javax.sound, and its header counts whole frames of what is on disk: all
     * of it, or all but the chunk the kill interrupted (appended before the header that counts it).
     */
    private static void checkValidAfterKill(Path dir, SampleFormat format) throws Exception {
        List<Path> files = WavTestFiles.wavs(dir);
        assertThat(files).hasSizeGreaterThanOrEqualTo(200 * 320 / 4000);
        try (java.util.stream.Stream<Path> all = Files.list(dir)) {
            // Besides the WAVs, at most the hidden part file of a file being created at the kill.
            assertThat(all.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".wav")).toList())
                    .allMatch(n -> n.startsWith(".wav-") && n.endsWith(".part")).hasSizeLessThanOrEqualTo(1);
        }
        long chunkBytes = ArchiveWriterMain.CHUNK_FRAMES * blockAlign(format);
        long totalFrames = 0;
        int exact = 0;
        for (Path f : files) {
            WavTestFiles.Header h = WavTestFiles.header(f);
            long onDisk = Files.size(f) - h.dataOffset();
            assertThat(h.dataSize() % blockAlign(format)).as("%s: whole frames", f.getFileName()).isZero();
            assertThat(h.riffSize()).isEqualTo(h.dataOffset() - 8 + h.dataSize());
            assertThat(onDisk - h.dataSize()).as("%s: bytes beyond the header's count", f.getFileName())
                    .isBetween(0L, chunkBytes);
            exact += onDisk == h.dataSize() ? 1 : 0;
            byte[] data = WavTestFiles.readWithJavaSound(f);
            assertThat((long) data.length).isEqualTo(h.dataSize());
            totalFrames += h.dataSize() / blockAlign(format);
        }
        // Only the file being written at the kill can have trailing bytes.
        assertThat(exact).isGreaterThanOrEqualTo(files.size() - 1);
        assertThat(totalFrames).isGreaterThanOrEqualTo(200L * 320);
        log.info("killed {} writer left {} valid files, {} frames, {} with exactly matching sizes",
                format, files.size(), totalFrames, exact);
    }

    @Test
    void soxAcceptsTheFilesOfAKilledWriter() throws Exception {
        if (System.getenv("AUDIOSOCKETS_REQUIRE_SOX") != null) {
            // CI installs sox (.ci/run): there, its absence is a failure, not a skip.
            assertThat(soxAvailable()).as("sox on the PATH (AUDIOSOCKETS_REQUIRE_SOX is set)").isTrue();
        }
        Assumptions.assumeTrue(soxAvailable(), "sox is not installed (apt-get install sox): the sox --i check is skipped");
        runAndKill(dir, 100, "continue", "f32");
        for (Path f : WavTestFiles.wavs(dir)) {
            Process p = new ProcessBuilder("sox", "--i", "-s", f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor()).as("sox --i %s: %s", f.getFileName(), out).isZero();
            long frames = WavTestFiles.header(f).dataSize() / blockAlign(SampleFormat.FLOAT32LE);
            assertThat(out).as("sox --i -s %s", f.getFileName()).isEqualTo(Long.toString(frames));
        }
    }

    private static boolean soxAvailable() {
        try {
            Process p = new ProcessBuilder("sox", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
