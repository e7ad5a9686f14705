package io.audiosockets.processor;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.Wire;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A processor that takes its acknowledgements over ({@link BaseProcessor#acknowledgeLater()}):
 * the next chunk comes before the last one is acknowledged; the mailman is told "done up to N"
 * only once N and everything before it are acknowledged, whatever the order the acknowledgements
 * come in; a gap waits in line behind a pending chunk; close() gives the mailman the
 * acknowledgements it can before the goodbye, and what was never acknowledged goes to the next
 * processor under the name, flagged as redelivered.
 */
class AcknowledgeLaterTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();
    /** The raw recorder of stream "mic" that {@link #startDeferring()} connects. */
    private RawClient recorder;

    private ProcessorOptions options(String name, StartPosition start) {
        return ProcessorOptions.builder(name).config(fixture.client()).subscribe("mic").start(start).window(16).shutdownHook(false)
                .build();
    }

    private static long ackedSeq(Mailman mailman, String processor) {
        return DeferringProcessor.ackedSeq(mailman, processor, "mic");
    }

    /** A started deferring processor from the oldest chunk, and a raw recorder of stream "mic". */
    private DeferringProcessor startDeferring() throws Exception {
        DeferringProcessor p = fixture.track(new DeferringProcessor(options("deferring", StartPosition.OLDEST)));
        p.startAsync().connected().get(10, TimeUnit.SECONDS);
        recorder = fixture.track(Wire.recorder(fixture.mailman().port(), "mic"));
        return p;
    }

    @Test
    void theMailmanHearsOnlyTheDonePrefixWhateverTheOrderOfTheAcknowledgements() throws Exception {
        Mailman mailman = fixture.mailman();
        DeferringProcessor p = startDeferring();
        Wire.produce(recorder, "mic", 0, 9);

        await("all ten chunks processed with none acknowledged", () -> p.seqs.size() == 10);
        assertThat(p.pendingAcknowledgements()).isEqualTo(10);
        assertThat(ackedSeq(mailman, "deferring")).as("nothing acknowledged yet").isLessThan(0);

        p.acknowledge(6, 9); // the later ones first: the mailman must not hear of them
        p.acknowledge(0, 4);
        await("the mailman hears up to 4", () -> ackedSeq(mailman, "deferring") == 4);
        assertThat(p.pendingAcknowledgements()).isEqualTo(1);

        p.acknowledge(5, 5);
        await("then up to 9 at once", () -> ackedSeq(mailman, "deferring") == 9);
        assertThat(p.pendingAcknowledgements()).isZero();
        p.pending.get(5L).acknowledge(); // twice: only the first counts
        assertThat(p.pendingAcknowledgements()).isZero();
    }

    @Test
    void aGapWaitsInLineBehindAPendingChunk() throws Exception {
        Mailman mailman = fixture.mailman();
        DeferringProcessor p = startDeferring();
        Wire.produce(recorder, "mic", 0, 1);
        Wire.produce(recorder, "mic", 5, 6); // 2..4 never existed: a gap between 1 and 5
        await("chunks 0, 1, 5 and 6 processed", () -> p.seqs.size() == 4);
        assertThat(p.gapChunks()).isEqualTo(3);

        p.acknowledge(0, 0);
        await("up to 0", () -> ackedSeq(mailman, "deferring") == 0);
        p.acknowledge(5, 6);
        p.acknowledge(1, 1);
        await("chunk 1 done lets the gap and 5..6 through", () -> ackedSeq(mailman, "deferring") == 6);
    }

    @Test
    void closeSendsWhatIsAcknowledgedAndTheRestGoesToTheNextProcessorFlagged() throws Exception {
        Mailman mailman = fixture.mailman();
        DeferringProcessor first = new DeferringProcessor(options("deferring", StartPosition.OLDEST));
        first.startAsync().connected().get(10, TimeUnit.SECONDS);
        RawClient recorder = fixture.track(Wire.recorder(mailman.port(), "mic"));
        Wire.produce(recorder, "mic", 0, 9);
        await("ten chunks processed", () -> first.seqs.size() == 10);
        first.acknowledge(0, 5);
        // 6..9 stay pending: close() waits for them (5 s), then says goodbye without them.
        try (LogCapture log = new LogCapture()) {
            first.close();
            assertThat(log.has("processor 'deferring'", "4 chunk(s) still not acknowledged", "flagged as redeliveries")).isTrue();
        }

        CollectingProcessor second = fixture.track(new CollectingProcessor(options("deferring", StartPosition.RESUME)));
        second.startAsync().connected().get(10, TimeUnit.SECONDS);
        await("the next processor under the name gets 6..9", () -> second.seqs("mic").size() == 4);
        assertThat(second.seqs("mic")).containsExactlyElementsOf(LongStream.rangeClosed(6, 9).boxed().toList());
        assertThat(second.redeliveries()).as("flagged: the first one had them").isEqualTo(4);
    }

    @Test
    void acknowledgeLaterOutsideProcessDataOrTwiceIsRefused() throws Exception {
        AtomicReference<Throwable> twice = new AtomicReference<>();
        BaseProcessor p = fixture.track(new BaseProcessor(options("twice", StartPosition.OLDEST)) {
            @Override
            protected void processData(AudioChunk chunk) {
                acknowledgeLater().acknowledge();
                try {
                    acknowledgeLater();
                } catch (IllegalStateException e) {
                    twice.set(e);
                }
            }
        });
        assertThatThrownBy(() -> invokeAcknowledgeLater(p)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from processData or processRecord");
        p.startAsync().connected().get(10, TimeUnit.SECONDS);
        RawClient recorder = fixture.track(Wire.recorder(fixture.mailman().port(), "mic"));
        Wire.produce(recorder, "mic", 0, 0);
        await("the chunk was processed", () -> p.processed() == 1);
        assertThat(twice.get()).hasMessageContaining("already called for stream 'mic' seq 0");
        await("and acknowledged all the same", () -> ackedSeq(fixture.mailman(), "twice") == 0);
    }

    // acknowledgeLater() is protected: the test reaches it as a subclass in this package would.
    private static PendingAck invokeAcknowledgeLater(BaseProcessor p) {
        return p.acknowledgeLater();
    }
}
