package io.audiosockets.internal.tls;

import io.audiosockets.config.ConfigException;
import io.audiosockets.config.Security;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Builds the TLS side of connections from {@link Security}: the mailman's context from its PEM
 * certificate and key, a client's from what it trusts (a pinned SHA-256 fingerprint, a CA file,
 * or the system trust store). Netty's {@link SslHandler} does the rest, first in each pipeline.
 *
 * <p>A client that trusts a CA (or the system store) also checks that the certificate names the
 * host it connects to, as a browser does; a pinned fingerprint identifies the one certificate
 * exactly, so no name check is needed (a self-signed certificate for trying TLS out).
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * The mailman's context.
     *
     * @throws ConfigException naming TLS_CERT/TLS_KEY and the file if they cannot be read or do not match
     */
    public static SslContext server(Security security) {
        Path cert = security.tlsCert().orElseThrow(() -> new IllegalStateException("no TLS_CERT"));
        Path key = security.tlsKey().orElseThrow(() -> new IllegalStateException("no TLS_KEY"));
        requireReadable(cert, "TLS_CERT");
        requireReadable(key, "TLS_KEY");
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("keys 'TLS_CERT' (" + cert + ") and 'TLS_KEY' (" + key + "): not a PEM certificate chain and "
                    + "its PEM (PKCS#8) private key: " + e.getMessage(), e);
        }
    }

    /**
     * A client's context.
     *
     * @throws ConfigException naming TLS_CA and the file if it cannot be read
     */
    public static SslContext client(Security security) {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (security.tlsFingerprint().isPresent()) {
            b.trustManager(FingerprintTrustManagerFactory.builder("SHA-256").fingerprints(security.tlsFingerprint().get()).build());
        } else if (security.tlsCa().isPresent()) {
            Path ca = security.tlsCa().get();
            requireReadable(ca, "TLS_CA");
            b.trustManager(ca.toFile());
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("key 'TLS_CA' (" + security.tlsCa().orElse(null) + "): not PEM certificates: " + e.getMessage(), e);
        }
    }

    /** A client's handler for a connection to {@code host:port}, checking the host name unless a fingerprint is pinned. */
    public static SslHandler clientHandler(SslContext context, Security security, ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        if (security.tlsFingerprint().isEmpty()) {
            SSLEngine engine = handler.engine();
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
        return handler;
    }

    /** The SHA-256 fingerprint of {@code cert}, as colon-separated hex pairs (what TLS_FINGERPRINT takes). */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }

    private static void requireReadable(Path file, String key) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("key '" + key + "': " + file + " (absolute: " + file.toAbsolutePath()
                    + ") does not exist or cannot be read");
        }
    }
}
