/**
 * Netty channel handlers for the wire protocol: {@link io.audiosockets.internal.protocol.codec.FrameDecoder}
 * and {@link io.audiosockets.internal.protocol.codec.FrameEncoder}. Internal: used by the mailman and the
 * clients; not a supported API.
 */
package io.audiosockets.internal.protocol.codec;
