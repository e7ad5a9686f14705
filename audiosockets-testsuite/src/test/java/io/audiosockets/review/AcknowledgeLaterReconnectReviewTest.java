package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.mailman.ProcessorStatus;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.DeferringProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TcpProxy;
import io.audiosockets.testkit.Wire;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review of acknowledgeLater() across a reconnect, where the HELLO resumes after the last chunk
 * acknowledged rather than the last processed: a gap announced again is not announced twice to one
 * processor object; every acknowledgement still reaches the mailman (the line released a late
 * lower place after a higher one); a LIVE processor whose first chunks were still pending resumes
 * where it was instead of jumping to the next new chunk. Each failed before its fix.
 */
class AcknowledgeLaterReconnectReviewTest {
    @RegisterExtension
    final MailmanFixture fixture = new MailmanFixture();

    private ProcessorOptions options(String name, StartPosition start, int port) {
        NetworkConfig c = fixture.client().toBuilder().port(port).build();
        return ProcessorOptions.builder(name).config(c).subscribe("mic").start(start).window(16).shutdownHook(false).build();
    }

    /** Whether {@code processor} has a connection to the mailman accepted after {@code since}. */
    private boolean reconnectedSince(String processor, Instant since) {
        Mailman mailman = fixture.mailman();
        for (ProcessorStatus p : mailman.status().processors()) {
            if (p.name().equals(processor) && p.connectedAt().isAfter(since)) {
                return true;
            }
        }
        return false;
    }

    /** Cuts every connection through the proxy and waits until {@code processor} is registered again. */
    private void cutAndAwaitReconnect(TcpProxy proxy, String processor) {
        Instant cut = Instant.now();
        proxy.cutAll();
        await(processor + " registered again", () -> reconnectedSince(processor, cut));
    }

    /**
     * 0, 1, gap 2..4, 5, 6 processed with nothing acknowledged, the connection cut and made again,
     * then chunk 7: once 7 is processed, whatever the mailman sent again before it was handled.
     */
    private DeferringProcessor gapThenReconnect(TcpProxy proxy) throws Exception {
        DeferringProcessor p = fixture.track(new DeferringProcessor(options("deferring", StartPosition.OLDEST, proxy.port())));
        p.startAsync().connected().get(10, TimeUnit.SECONDS);
        RawClient recorder = fixture.track(Wire.recorder(fixture.mailman().port(), "mic"));
        Wire.produce(recorder, "mic", 0, 1);
        Wire.produce(recorder, "mic", 5, 6);
        await("0, 1, 5, 6 processed", () -> p.seqs.size() == 4);
        assertThat(p.gaps).containsExactly("2..4");

        cutAndAwaitReconnect(proxy, "deferring");
        Wire.produce(recorder, "mic", 7, 7);
        await("7 processed after the reconnect", () -> p.seqs.contains(7L));
        return p;
    }

    @Test
    void aGapIsNotAnnouncedTwiceToOneProcessorObject() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        DeferringProcessor p = gapThenReconnect(proxy);
        assertThat(p.seqs).as("no chunk processed twice").containsExactly(0L, 1L, 5L, 6L, 7L);
        assertThat(p.gaps).as("the gap 2..4 reported once, as chunks are processed once").containsExactly("2..4");
        assertThat(p.gapChunks()).isEqualTo(3);
    }

    @Test
    void everyAcknowledgementReachesTheMailmanAfterAReconnect() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        DeferringProcessor p = gapThenReconnect(proxy);
        p.acknowledge(0, 7); // in order, all of them
        assertThat(p.pendingAcknowledgements()).isZero();
        await("everything up to 7 acknowledged to the mailman",
                () -> DeferringProcessor.ackedSeq(fixture.mailman(), "deferring", "mic") == 7);
    }

    /**
     * LIVE: 0..3 processed; 4..7 sent by the mailman into a proxy that holds them, so they never
     * reach the processor; the connection cut and made again; then 8. Returns what was processed.
     */
    private List<Long> liveReconnect(BaseProcessor p, String name, Supplier<List<Long>> seqs, TcpProxy proxy) throws Exception {
        p.startAsync().connected().get(10, TimeUnit.SECONDS);
        RawClient recorder = fixture.track(Wire.recorder(fixture.mailman().port(), "mic"));
        Wire.produce(recorder, "mic", 0, 3);
        await("0..3 processed", () -> seqs.get().size() == 4);
        proxy.pauseDownstream(true);
        Wire.produce(recorder, "mic", 4, 7);
        await("the mailman sent 4..7 into the held connection",
                () -> DeferringProcessor.nextSeq(fixture.mailman(), name, "mic") == 8);
        cutAndAwaitReconnect(proxy, name);
        Wire.produce(recorder, "mic", 8, 8);
        await("8 processed", () -> seqs.get().contains(8L));
        return List.copyOf(seqs.get());
    }

    @Test
    void liveWithoutAcknowledgeLaterResumesWhereItWas_control() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        CollectingProcessor p = fixture.track(new CollectingProcessor(options("plain", StartPosition.LIVE, proxy.port())));
        assertThat(liveReconnect(p, "plain", () -> p.seqs("mic"), proxy))
                .containsExactlyElementsOf(LongStream.rangeClosed(0, 8).boxed().toList());
    }

    @Test
    void liveWithAcknowledgeLaterResumesWhereItWasToo() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        DeferringProcessor p = fixture.track(new DeferringProcessor(options("deferring", StartPosition.LIVE, proxy.port())));
        assertThat(liveReconnect(p, "deferring", () -> p.seqs, proxy))
                .as("chunks 4..7 reached the mailman while the processor was connected; nothing acknowledged them")
                .containsExactlyElementsOf(LongStream.rangeClosed(0, 8).boxed().toList());
    }
}
