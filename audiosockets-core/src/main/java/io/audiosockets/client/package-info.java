/**
 * What recorders and processors share: {@link io.audiosockets.internal.client.ClientConnection}, a
 * connection to the mailman that handshakes, heartbeats, reconnects and says goodbye;
 * {@link io.audiosockets.client.ClientListener} for its events; and
 * {@link io.audiosockets.client.MailmanException} for refusals. Public API.
 */
package io.audiosockets.client;
