package io.audiosockets.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may connect, and how the connection is protected: the shared token(s) checked in the
 * handshake and the TLS settings. Part of {@link NetworkConfig}.
 *
 * <p>Tokens: {@code TOKEN} is the secret every client must present; {@code RECORDER_TOKEN} and
 * {@code PROCESSOR_TOKEN}, when set, replace it for that role, so that a processor's credentials
 * cannot inject audio. An empty token means "no token required" for that role. Each key can also
 * come from the environment ({@code AUDIOSOCKETS_TOKEN}, ...), which keeps it out of files and
 * process lists. {@link #toString()} never shows a token.
 *
 * @param token {@code TOKEN}: the shared secret, or empty
 * @param recorderToken {@code RECORDER_TOKEN}: the recorders' secret, or empty to use {@code token}
 * @param processorToken {@code PROCESSOR_TOKEN}: the processors' secret, or empty to use {@code token}
 * @param tls {@code TLS}: clients connect with TLS (implied by {@code TLS_CA} or {@code TLS_FINGERPRINT})
 * @param tlsCert {@code TLS_CERT}: the mailman's certificate chain, PEM; with {@code TLS_KEY} the mailman speaks TLS only
 * @param tlsKey {@code TLS_KEY}: the mailman's private key, PEM (PKCS#8)
 * @param tlsCa {@code TLS_CA}: PEM certificates a client trusts for the mailman; empty: the system trust store
 * @param tlsFingerprint {@code TLS_FINGERPRINT}: the SHA-256 fingerprint of the mailman's certificate a client
 *                       pins instead (hex, colons allowed), e.g. a self-signed one
 */
public record Security(String token, String recorderToken, String processorToken, boolean tls, Optional<Path> tlsCert,
                       Optional<Path> tlsKey, Optional<Path> tlsCa, Optional<String> tlsFingerprint) {

    /** No token, no TLS: the default, fit for loopback. */
    public static final Security NONE = new Security("", "", "", false, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Validates the fields. */
    public Security {
        Objects.requireNonNull(token, "token == null");
        Objects.requireNonNull(recorderToken, "recorderToken == null");
        Objects.requireNonNull(processorToken, "processorToken == null");
        Objects.requireNonNull(tlsCert, "tlsCert == null");
        Objects.requireNonNull(tlsKey, "tlsKey == null");
        Objects.requireNonNull(tlsCa, "tlsCa == null");
        Objects.requireNonNull(tlsFingerprint, "tlsFingerprint == null");
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new ConfigException("key '" + (tlsCert.isPresent() ? "TLS_KEY" : "TLS_CERT") + "': missing (expected: "
                    + "TLS_CERT and TLS_KEY together, the mailman's certificate and its private key)");
        }
        tlsFingerprint = tlsFingerprint.map(Security::normalizeFingerprint);
        if (tlsFingerprint.isPresent() && tlsFingerprint.get().length() != 64) {
            throw new ConfigException("key 'TLS_FINGERPRINT': expected the 64 hex digits of a SHA-256 fingerprint, got "
                    + tlsFingerprint.get().length() + " digits");
        }
        for (String t : new String[] {token, recorderToken, processorToken}) {
            if (t.length() > 1024) {
                throw new ConfigException("key 'TOKEN': " + t.length() + " characters (expected: at most 1024)");
            }
        }
    }

    private static String normalizeFingerprint(String f) {
        String hex = f.replace(":", "").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new ConfigException("key 'TLS_FINGERPRINT': not hexadecimal: " + f);
        }
        return hex;
    }

    /** The token a recorder presents and the mailman requires of recorders; empty if none. */
    public String recorderSecret() {
        return recorderToken.isEmpty() ? token : recorderToken;
    }

    /** The token a processor presents and the mailman requires of processors; empty if none. */
    public String processorSecret() {
        return processorToken.isEmpty() ? token : processorToken;
    }

    /** True if the mailman requires a token of at least one role. */
    public boolean anyToken() {
        return !recorderSecret().isEmpty() || !processorSecret().isEmpty();
    }

    /** True if the mailman serves TLS (it has a certificate and key). */
    public boolean serverTls() {
        return tlsCert.isPresent();
    }

    /** True if clients connect with TLS. */
    public boolean clientTls() {
        return tls || tlsCa.isPresent() || tlsFingerprint.isPresent();
    }

    /** A copy with these tokens. */
    public Security withTokens(String token, String recorderToken, String processorToken) {
        return new Security(token, recorderToken, processorToken, tls, tlsCert, tlsKey, tlsCa, tlsFingerprint);
    }

    /** A copy with these TLS settings. */
    public Security withTls(boolean tls, Optional<Path> cert, Optional<Path> key, Optional<Path> ca, Optional<String> fingerprint) {
        return new Security(token, recorderToken, processorToken, tls, cert, key, ca, fingerprint);
    }

    /** Shows whether tokens are set, never their values. */
    @Override
    public String toString() {
        return "Security[token=" + (token.isEmpty() ? "none" : "set") + ", recorderToken=" + (recorderToken.isEmpty() ? "none" : "set")
                + ", processorToken=" + (processorToken.isEmpty() ? "none" : "set") + ", tls=" + tls + ", tlsCert=" + tlsCert
                + ", tlsKey=" + tlsKey + ", tlsCa=" + tlsCa + ", tlsFingerprint=" + tlsFingerprint + "]";
    }
}
