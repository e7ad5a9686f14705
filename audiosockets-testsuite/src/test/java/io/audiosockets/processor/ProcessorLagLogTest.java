package io.audiosockets.processor;

import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real processor handed chunks captured long ago (the testkit's chunks carry capture times of
 * 2023) says in its own log that it is behind the stream, naming the stream and what to do, once
 * (not per chunk).
 */
@Timeout(30)
class ProcessorLagLogTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    @Test
    void aProcessorBehindItsStreamSaysSoOnceInItsOwnLog() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            CollectingProcessor p = fixture.track(new CollectingProcessor(ProcessorOptions.builder("late").config(fixture.client())
                    .start(StartPosition.OLDEST).subscribe("mic").build()));
            p.startAsync().connected().get();
            RawClient mic = fixture.track(recorder(fixture.mailman().port(), "mic"));
            produce(mic, "mic", 0, 9);
            CollectingProcessor.await("10 chunks processed", () -> p.chunks.size() == 10);

            assertThat(logs.messages()).filteredOn(m -> m.contains("behind stream 'mic'") && m.contains("processor 'late'"))
                    .singleElement().asString().contains("processData is slower than the stream comes");
        }
    }
}
