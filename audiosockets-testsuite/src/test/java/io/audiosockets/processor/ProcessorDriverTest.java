package io.audiosockets.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A processor's code driven from another source than the mailman (Kafka's runner uses this):
 * onStart first, onStop last, never a chunk twice, redeliveries flagged, exceptions counted and
 * survived, gaps counted, and no way to start the same object against a mailman too.
 */
class ProcessorDriverTest {
    private final List<String> calls = new ArrayList<>();

    private final BaseProcessor processor = new BaseProcessor(ProcessorOptions.builder("driven").shutdownHook(false).build()) {
        @Override
        protected void onStart() {
            calls.add("start");
        }

        @Override
        protected void processData(AudioChunk chunk) {
            calls.add(chunk.stream() + " " + chunk.seq() + (isRedelivery() ? " again" : ""));
            if (chunk.seq() == 3) {
                throw new IllegalStateException("user code failing on purpose");
            }
        }

        @Override
        protected void onGap(Gap gap) {
            calls.add("gap " + gap.fromSeq() + ".." + gap.toSeq());
        }

        @Override
        protected void onStop() {
            calls.add("stop");
        }
    };

    @Test
    void runsTheUserCodeWithTheMailmansGuarantees() {
        try (ProcessorDriver driver = new ProcessorDriver(processor)) {
            driver.process(chunk(0), true);
            driver.process(chunk(1), false);
            driver.process(chunk(1), true); // processed already by this object: not again
            driver.process(chunk(3), false); // throws in processData: logged, counted, the next one goes on
            driver.gap(new Gap("mic", 4, 6, GapReason.RETENTION_EXCEEDED, "test"));
            driver.process(chunk(7), false);
        }
        assertThat(calls).containsExactly("start", "mic 0 again", "mic 1", "mic 3", "gap 4..6", "mic 7", "stop");
        assertThat(processor.processed()).isEqualTo(4);
        assertThat(processor.errors()).isEqualTo(1);
        assertThat(processor.redeliveries()).isEqualTo(1);
        assertThat(processor.gapChunks()).isEqualTo(3);
    }

    @Test
    void aDrivenProcessorCannotAlsoBeStartedNorDrivenTwice() {
        ProcessorDriver driver = new ProcessorDriver(processor);
        assertThatThrownBy(processor::startAsync).isInstanceOf(IllegalStateException.class).hasMessageContaining("ProcessorDriver");
        assertThatThrownBy(() -> new ProcessorDriver(processor)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started or driven");
        driver.close();
        assertThatThrownBy(() -> driver.process(chunk(0), false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(calls).as("onStart/onStop only around work").isEmpty();
    }

    private static AudioChunk chunk(long seq) {
        return AudioChunk.ofFloats("mic", seq, 1_000_000L * seq, 16_000, 1, SampleFormat.PCM_S16LE, new float[160]);
    }
}
