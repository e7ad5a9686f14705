package io.audiosockets.review;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.mailman.ProcessorStatus;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.PendingAck;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TcpProxy;
import io.audiosockets.testkit.Wire;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

    private static final class Deferring extends BaseProcessor {
        final Map<Long, PendingAck> pending = new ConcurrentHashMap<>();
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<String> gaps = new CopyOnWriteArrayList<>();

        Deferring(ProcessorOptions options) {
            super(options);
        }

        @Override
        protected void processData(AudioChunk chunk) {
            seqs.add(chunk.seq());
            pending.put(chunk.seq(), acknowledgeLater());
        }

        @Override
        protected void onGap(Gap gap) {
            gaps.add(gap.fromSeq() + ".." + gap.toSeq());
        }

        void acknowledge(long from, long to) {
            for (long s = from; s <= to; s++) {
                PendingAck a = pending.get(s);
                if (a != null) {
                    a.acknowledge();
                }
            }
        }
    }

    private ProcessorOptions options(String name, StartPosition start, int port) {
        NetworkConfig c = fixture.client().toBuilder().port(port).build();
        return ProcessorOptions.builder(name).config(c).subscribe("mic").start(start).window(16).shutdownHook(false).build();
    }

    private static long ackedSeq(Mailman mailman, String processor) {
        for (ProcessorStatus p : mailman.status().processors()) {
            if (p.name().equals(processor)) {
                for (ProcessorStatus.Cursor c : p.cursors()) {
                    if (c.stream().equals("mic")) {
                        return c.ackedSeq();
                    }
                }
            }
        }
        return Long.MIN_VALUE;
    }

    /** 0, 1, gap 2..4, 5, 6 processed with nothing acknowledged, then the connection is cut and comes back. */
    private Deferring gapThenReconnect(TcpProxy proxy) throws Exception {
        Deferring p = fixture.track(new Deferring(options("deferring", StartPosition.OLDEST, proxy.port())));
        p.startAsync().connected().get(10, TimeUnit.SECONDS);
        RawClient recorder = fixture.track(Wire.recorder(fixture.mailman().port(), "mic"));
        Wire.produce(recorder, "mic", 0, 1);
        Wire.produce(recorder, "mic", 5, 6);
        await("0, 1, 5, 6 processed", () -> p.seqs.size() == 4);
        assertThat(p.gaps).containsExactly("2..4");

        proxy.cutAll();
        await("reconnected", () -> proxy.connectionsAccepted() >= 2);
        Thread.sleep(1_000); // the mailman sends the new connection what it sends
        return p;
    }

    @Test
    void aGapIsNotAnnouncedTwiceToOneProcessorObject() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        Deferring p = gapThenReconnect(proxy);
        assertThat(p.seqs).as("no chunk processed twice").containsExactly(0L, 1L, 5L, 6L);
        assertThat(p.gaps).as("the gap 2..4 reported once, as chunks are processed once").containsExactly("2..4");
        assertThat(p.gapChunks()).isEqualTo(3);
    }

    @Test
    void everyAcknowledgementReachesTheMailmanAfterAReconnect() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        Deferring p = gapThenReconnect(proxy);
        p.acknowledge(0, 6); // in order, all of them
        assertThat(p.pendingAcknowledgements()).isZero();
        Thread.sleep(1_000);
        assertThat(ackedSeq(fixture.mailman(), "deferring")).as("everything up to 6 is done and acknowledged").isEqualTo(6);
    }

    /** LIVE: chunks sent to the old connection and never read must come to the new one, as they do without acknowledgeLater. */
    private List<Long> liveReconnect(BaseProcessor p, List<Long> seqs, TcpProxy proxy) throws Exception {
        p.startAsync().connected().get(10, TimeUnit.SECONDS);
        RawClient recorder = fixture.track(Wire.recorder(fixture.mailman().port(), "mic"));
        Wire.produce(recorder, "mic", 0, 3);
        await("0..3 processed", () -> seqs.size() == 4);
        proxy.pauseDownstream(true);
        Wire.produce(recorder, "mic", 4, 7);
        Thread.sleep(300);
        proxy.cutAll();
        await("reconnected", () -> proxy.connectionsAccepted() >= 2);
        Thread.sleep(1_000);
        Wire.produce(recorder, "mic", 8, 8);
        await("8 processed", () -> seqs.contains(8L));
        return List.copyOf(seqs);
    }

    @Test
    void liveWithoutAcknowledgeLaterResumesWhereItWas_control() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        CollectingProcessor p = fixture.track(new CollectingProcessor(options("plain", StartPosition.LIVE, proxy.port())));
        p.startAsync().connected().get(10, TimeUnit.SECONDS);
        RawClient recorder = fixture.track(Wire.recorder(fixture.mailman().port(), "mic"));
        Wire.produce(recorder, "mic", 0, 3);
        await("0..3 processed", () -> p.seqs("mic").size() == 4);
        proxy.pauseDownstream(true);
        Wire.produce(recorder, "mic", 4, 7);
        Thread.sleep(300);
        proxy.cutAll();
        await("reconnected", () -> proxy.connectionsAccepted() >= 2);
        Thread.sleep(1_000);
        Wire.produce(recorder, "mic", 8, 8);
        await("8 processed", () -> p.seqs("mic").contains(8L));
        assertThat(p.seqs("mic")).containsExactlyElementsOf(LongStream.rangeClosed(0, 8).boxed().toList());
    }

    @Test
    void liveWithAcknowledgeLaterResumesWhereItWasToo() throws Exception {
        TcpProxy proxy = fixture.track(new TcpProxy(fixture.mailman().port()));
        Deferring p = fixture.track(new Deferring(options("deferring", StartPosition.LIVE, proxy.port())));
        List<Long> seqs = liveReconnect(p, p.seqs, proxy);
        assertThat(seqs).as("chunks 4..7 reached the mailman while the processor was connected; nothing acknowledged them")
                .containsExactlyElementsOf(LongStream.rangeClosed(0, 8).boxed().toList());
    }
}
