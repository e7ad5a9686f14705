package io.audiosockets.cli;

import io.audiosockets.config.Monitoring;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.http.MailmanHttp;
import io.audiosockets.config.Security;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.internal.tls.TlsContexts;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audiosockets server}: runs a mailman until Ctrl-C. The paper's {@code MailmanSocket}. */
@Command(name = "server", aliases = "mailman", description = "Run the mailman: accepts recorders and processors and relays every chunk.")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Option(names = "--tls-self-signed", description = "Serve TLS with a certificate made up on the spot, for trying TLS out: "
            + "prints its SHA-256 fingerprint, which clients pin with TLS_FINGERPRINT or --tls-fingerprint. Use TLS_CERT and "
            + "TLS_KEY for a real deployment.")
    boolean tlsSelfSigned;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Overrides HTTP_PORT: serve /metrics, /api/status and the live "
            + "dashboard on this port (0 picks a free one). Off unless set here or in the config.")
    Integer httpPort;

    @Option(names = "--http-host", paramLabel = "HOST", description = "Overrides HTTP_HOST: the address the HTTP side binds "
            + "(default 127.0.0.1; another machine's browser needs this machine's address, and a TOKEN).")
    String httpHost;

    @Override
    public Integer call() throws CertificateException {
        NetworkConfig config = network.load();
        if (httpPort != null || httpHost != null) {
            Monitoring m = config.monitoring();
            config = config.toBuilder().monitoring(m.withHttpPort(httpPort != null ? httpPort : Math.max(0, m.httpPort()))
                    .withHttpHost(httpHost != null ? httpHost : m.httpHost())).build();
        }
        SelfSignedCertificate selfSigned = null;
        if (tlsSelfSigned) {
            selfSigned = new SelfSignedCertificate(config.server().orElse("localhost"));
            Security s = config.security();
            config = config.toBuilder().security(s.withTls(s.tls(), Optional.of(selfSigned.certificate().toPath()),
                    Optional.of(selfSigned.privateKey().toPath()), s.tlsCa(), s.tlsFingerprint())).build();
            System.out.println("TLS with a self-signed certificate for '" + config.server().orElse("localhost")
                    + "'. Clients pin it with:");
            System.out.println("  TLS_FINGERPRINT " + TlsContexts.fingerprint(selfSigned.cert()));
            System.out.println("  (or: --tls-fingerprint " + TlsContexts.fingerprint(selfSigned.cert()) + ")");
            System.out.flush();
        }
        Mailman mailman = new Mailman(config).startAsync();
        MailmanHttp http = null;
        if (config.monitoring().httpEnabled()) {
            try {
                http = MailmanHttp.start(mailman);
            } catch (RuntimeException e) {
                mailman.close();
                throw e;
            }
            System.out.println("dashboard: " + http.url());
            System.out.flush();
        }
        JvmSettings.logAdvice();
        StopOnSignal.install(mailman, "the mailman");
        mailman.awaitClose();
        if (http != null) {
            http.close();
        }
        if (selfSigned != null) {
            selfSigned.delete();
        }
        return 0;
    }
}
