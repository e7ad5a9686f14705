package io.audiosockets.internal.channel;

import io.netty.handler.codec.DecoderException;
import javax.net.ssl.SSLException;

/**
 * Recognises a failed TLS session in what a pipeline reports, on either side: Netty's TLS handler
 * reports it as a {@link DecoderException} wrapping an {@link SSLException}.
 */
public final class TlsFailure {
    private TlsFailure() {
    }

    /** The TLS failure behind {@code cause}, or {@code null} if {@code cause} is not one. */
    public static SSLException of(Throwable cause) {
        return cause instanceof DecoderException && cause.getCause() instanceof SSLException tls ? tls : null;
    }

    /** The message of the innermost cause of {@code t} (the one that says what was wrong with a certificate). */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
