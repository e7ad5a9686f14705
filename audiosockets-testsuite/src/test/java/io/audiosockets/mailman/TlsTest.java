package io.audiosockets.mailman;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.config.Security;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.ScriptedSource;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.internal.tls.TlsContexts;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * TLS between the mailman and its clients, with real handshakes over loopback: a client that pins
 * the mailman's self-signed certificate, or trusts it as a CA, streams as over plain TCP; a client
 * that does not trust it never registers, and neither does a plain-TCP client; the mailman serves
 * the others throughout.
 */
@Timeout(60)
class TlsTest {
    @RegisterExtension
    final Closer closer = new Closer();
    private SelfSignedCertificate serverCert;
    private SelfSignedCertificate otherCert;
    private Mailman mailman;

    @BeforeEach
    void start() throws Exception {
        serverCert = new SelfSignedCertificate("localhost");
        otherCert = new SelfSignedCertificate("localhost");
        Security tls = Security.NONE.withTls(false, Optional.of(serverCert.certificate().toPath()),
                Optional.of(serverCert.privateKey().toPath()), Optional.empty(), Optional.empty());
        mailman = track(new Mailman(TestConfigs.fast().security(tls).build()).startAsync());
    }

    @AfterEach
    void deleteCertificates() {
        serverCert.delete();
        otherCert.delete();
    }

    private <T extends AutoCloseable> T track(T c) {
        return closer.track(c);
    }

    private NetworkConfig client(Security security) {
        return TestConfigs.clientOf(mailman.config(), mailman.port()).toBuilder().security(security).build();
    }

    private static Security pinned(SelfSignedCertificate cert) {
        return Security.NONE.withTls(true, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(TlsContexts.fingerprint(cert.cert())));
    }

    private CollectingProcessor streamOver(NetworkConfig client, String name) {
        CollectingProcessor p = track(new CollectingProcessor(ProcessorOptions.builder(name).config(client).build()));
        p.startAsync();
        p.connected().join();
        return p;
    }

    @Test
    void clientsThatPinTheSelfSignedCertificateStreamEveryChunkOverTls() {
        NetworkConfig client = client(pinned(serverCert));
        CollectingProcessor p = streamOver(client, "pinned");
        ScriptedSource source = new ScriptedSource(320, 50, true, -1);
        track(new Recorder(source, RecorderOptions.builder().config(client).stream("mic").period(Duration.ofMillis(20)).build()))
                .startAsync();
        await("every chunk over TLS", () -> p.chunks.size() == 50);
        for (int i = 0; i < 50; i++) {
            assertThat(p.chunks.get(i).seq()).isEqualTo(i);
            assertThat(source.isChunk(i, p.chunks.get(i).data())).isTrue();
        }
    }

    @Test
    void aClientTrustingTheCertificateAsItsCaConnectsByHostName() {
        Security ca = Security.NONE.withTls(true, Optional.empty(), Optional.empty(),
                Optional.of(serverCert.certificate().toPath()), Optional.empty());
        NetworkConfig client = client(ca).toBuilder().server("localhost").build();
        CollectingProcessor p = streamOver(client, "by-ca");
        assertThat(p.connected()).isCompleted();
        assertThat(mailman.processors()).contains("by-ca");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateNeverRegistersAndSaysWhy() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            CollectingProcessor good = streamOver(client(pinned(serverCert)), "good");
            CollectingProcessor wary = track(new CollectingProcessor(ProcessorOptions.builder("wary")
                    .config(client(pinned(otherCert))).build()));
            wary.startAsync();
            await("the refusal is reported", () -> logs.has("processor 'wary'", "TLS handshake with the mailman", "failed",
                    "TLS_FINGERPRINT"));
            assertThat(wary.connected()).isNotCompleted();
            assertThat(mailman.processors()).containsExactly("good");
            assertThat(good.connected()).isCompleted();
        }
    }

    @Test
    void aPlainTcpClientIsNotServedAndTheMailmanCarriesOn() throws Exception {
        CollectingProcessor good = streamOver(client(pinned(serverCert)), "good");
        try (RawClient plain = new RawClient(mailman.port())) {
            plain.send(RawClient.encode(new io.audiosockets.internal.protocol.Ping(1)));
            assertThat(plain.closedByPeer()).as("the mailman closes a connection that does not speak TLS").isTrue();
        }
        ScriptedSource source = new ScriptedSource(320, 10, false, -1);
        track(new Recorder(source, RecorderOptions.builder().config(client(pinned(serverCert))).stream("mic")
                .period(Duration.ofMillis(20)).build())).startAsync();
        await("still serving", () -> good.chunks.size() == 10);
    }
}
