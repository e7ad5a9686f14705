/**
 * What the mailman's connections and the clients' connections share, written once: the
 * connection-level frames and heartbeat ({@link io.audiosockets.internal.channel.ControlFrameHandler}),
 * the channel settings both sides use ({@link io.audiosockets.internal.channel.ChannelSettings}: idle
 * timers, write-buffer watermarks), why a channel was closed
 * ({@link io.audiosockets.internal.channel.CloseReason}) and how a failed TLS handshake is recognised
 * ({@link io.audiosockets.internal.channel.TlsFailure}).
 */
package io.audiosockets.internal.channel;
