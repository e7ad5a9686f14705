package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.dsp.SpeechEvent;
import io.audiosockets.ml.OnnxModel;
import io.audiosockets.ml.SileroVad;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process vad --model silero} as a user runs it, each role in its own JVM: a mailman, the
 * VAD, and a recorder playing the quality test's speech file (sentences with music between them)
 * in 20 ms chunks. The VAD prints the same lines as the energy VAD, at the samples the Silero
 * detector finds in-process on the same audio, with capture times exact to the sample.
 */
class SileroVadCommandTest {
    private static final Pattern LINE = Pattern.compile(
            "^mic\\s+speech (start|end)\\s+at (\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\(sample (\\d+)\\)(?:, lasted (\\d+\\.\\d\\d) s)?$");
    /** The first 10.5 s: sentence, music, sentence. */
    private static final int SECONDS = 10;

    @TempDir
    Path dir;

    /** The quality test's file, in the ml module (tests run with the module's directory as working directory). */
    private static Path speechFile() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
                .resolve("../audiosockets-ml/src/test/resources/io/audiosockets/ml/speech_distractors.wav").normalize();
    }

    @Test
    void printsTheSentencesAtTheSamplesTheDetectorFindsAndNotTheMusic() throws Exception {
        Path wav = dir.resolve("speech.wav");
        Files.copy(speechFile(), wav);
        List<SpeechEvent> expected = inProcess(wav, SECONDS * 16000);
        assertThat(expected).hasSize(4); // two sentences; the music between them is not speech

        try (CliProcess server = CliProcess.start(dir, "server", "-p", "0")) {
            String port = server.awaitErr("mailman listening on 127\\.0\\.0\\.1:(\\d+)");
            try (CliProcess vad = CliProcess.start(dir, "process", "-p", port, "vad", "--model", "silero")) {
                server.awaitErr("processor 'vad' .* registered");
                try (CliProcess record = CliProcess.start(dir, "record", "-p", port, "--stream", "mic", "--source", "wav:" + wav,
                        "--period", "0.02", "--seconds", "" + SECONDS)) {
                    assertThat(record.awaitExit()).as("record exit status; stderr %s", record.err()).isZero();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> vad.out().size() >= 4);
                vad.stop();
                List<String> lines = vad.out();
                assertThat(lines).as("stdout; stderr %s", vad.err()).hasSize(4);
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Matcher m = LINE.matcher(lines.get(i));
                    assertThat(m.matches()).as("line %s", lines.get(i)).isTrue();
                    assertThat(m.group(1)).isEqualTo(i % 2 == 0 ? "start" : "end");
                    assertThat(Long.parseLong(m.group(3))).as("line %s", lines.get(i)).isEqualTo(expected.get(i).sample());
                    times.add(LocalTime.parse(m.group(2)).toNanoOfDay());
                }
                // Capture times exact to the sample: the recorder's chunks are contiguous, so time follows the sample index.
                for (int i = 1; i < 4; i++) {
                    long samples = expected.get(i).sample() - expected.get(0).sample();
                    assertThat(times.get(i) - times.get(0)).isCloseTo(samples * 62_500L, org.assertj.core.data.Offset.offset(1_000_000L));
                }
                assertThat(lines.get(1)).endsWith(String.format(java.util.Locale.ROOT, ", lasted %.2f s",
                        (expected.get(1).sample() - expected.get(0).sample()) / 16000.0));
            }
        }
    }

    @Test
    void aBadModelFileIsAnErrorNamingItAndTheMailmanServesOn() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.onnx"), "not a model");
        try (CliProcess server = CliProcess.start(dir, "server", "-p", "0")) {
            String port = server.awaitErr("mailman listening on 127\\.0\\.0\\.1:(\\d+)");
            try (CliProcess vad = CliProcess.start(dir, "process", "-p", port, "vad", "--model", bad.toString())) {
                assertThat(vad.awaitExit()).isEqualTo(2);
                assertThat(String.join("\n", vad.err())).contains("model file " + bad + ": not a valid ONNX model");
            }
            try (CliProcess vad = CliProcess.start(dir, "process", "-p", port, "vad", "--model", "silero", "--frame-ms", "20")) {
                assertThat(vad.awaitExit()).isEqualTo(2);
                assertThat(String.join("\n", vad.err())).contains("--frame-ms: applies to --model energy only");
            }
            try (CliProcess print = CliProcess.start(dir, "process", "-p", port, "print")) {
                server.awaitErr("processor 'print' .* registered");
                try (CliProcess record = CliProcess.start(dir, "record", "-p", port, "--stream", "mic", "--seconds", "0.2",
                        "--period", "0.1")) {
                    assertThat(record.awaitExit()).isZero();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> print.out().size() >= 2);
            }
        }
    }

    /** The boundaries SileroVad finds in the first {@code frames} samples of the file, fed in 20 ms chunks. */
    private static List<SpeechEvent> inProcess(Path wav, int frames) throws Exception {
        byte[] file = Files.readAllBytes(wav);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (!new String(file, at, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("data")) {
            at += 8 + b.getInt(at + 4);
        }
        byte[] pcm = Arrays.copyOfRange(file, at + 8, at + 8 + 2 * frames);
        List<SpeechEvent> events = new ArrayList<>();
        try (OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU)) {
            SileroVad vad = new SileroVad(model, "mic", 16000, SileroVad.Config.DEFAULT, events::add, () -> 0L);
            for (int i = 0, seq = 0; i < frames; i += 320, seq++) {
                vad.process(new AudioChunk("mic", seq, i * 62_500L, 16000, 1, SampleFormat.PCM_S16LE,
                        Arrays.copyOfRange(pcm, 2 * i, 2 * (i + 320))));
            }
            vad.reset();
        }
        return events;
    }
}
