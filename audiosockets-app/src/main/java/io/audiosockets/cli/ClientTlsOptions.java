package io.audiosockets.cli;

import io.audiosockets.config.ConfigException;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.config.Security;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The option only clients ({@code record}, {@code process}) take: how to trust the mailman's
 * certificate. A picocli mixin, apart from {@link NetworkOptions} so that {@code server --help}
 * does not offer it.
 */
final class ClientTlsOptions {
    @Option(names = "--tls-fingerprint", paramLabel = "SHA256",
            description = "Overrides TLS_FINGERPRINT: connect with TLS and trust only the mailman certificate with this "
                    + "SHA-256 fingerprint (what 'server --tls-self-signed' prints).")
    String tlsFingerprint;

    /** Applies {@code --tls-fingerprint}, if given, to {@code b}. */
    void applyTo(NetworkConfig.Builder b) {
        if (tlsFingerprint == null) {
            return;
        }
        Security s = b.build().security();
        try {
            b.security(s.withTls(true, s.tlsCert(), s.tlsKey(), s.tlsCa(), Optional.of(tlsFingerprint)));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("--tls-fingerprint: " + e.getMessage().replace("key 'TLS_FINGERPRINT': ", ""));
        }
    }
}
