/**
 * TLS for the mailman and its clients, from the {@code TLS_*} configuration keys: see
 * {@link io.audiosockets.internal.tls.TlsContexts}.
 */
package io.audiosockets.internal.tls;
