/**
 * The mailman server: {@link io.audiosockets.mailman.Mailman} and its per-connection handlers.
 * {@code Mailman} and {@code MailmanStats} are public API; everything else here is internal.
 */
package io.audiosockets.mailman;
