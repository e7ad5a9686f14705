package io.audiosockets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.ml.SileroVad;
import io.audiosockets.testkit.MailmanFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Running a neural network" example run as a user runs it, in its own JVM with only
 * the library on its classpath, against a real mailman and the recorder example: it scores every
 * 32 ms window of the recorder's sine, which is not speech.
 */
class ModelExampleRunTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    @TempDir
    Path dir;

    @Test
    void theModelExampleScoresTheRecordersWindows() throws Exception {
        ExampleJvm.writeConfig(dir, fixture.mailman().port(), "");
        try (InputStream model = SileroVad.class.getResourceAsStream(SileroVad.RESOURCE)) {
            Files.copy(model, dir.resolve("model.onnx"));
        }
        try (ExampleJvm scorer = ExampleJvm.start(SpeechScore.class, dir);
             ExampleJvm recorder = ExampleJvm.start(SineRecorder.class, dir)) {
            // One line per 32 ms window; a sine is not speech.
            scorer.awaitOutCount("^default sample \\d+ p 0[.,]0\\d$", 3);
            assertThat(fixture.mailman().processors()).contains("scorer");
        }
    }
}
