/**
 * The audiosockets wire protocol: one record per frame type, {@link io.audiosockets.protocol.FrameCodec}
 * to turn them into bytes and back, and the protocol's exceptions. PROTOCOL.md at the root of the
 * repository describes the bytes for implementers in other languages. Public API.
 *
 * <p>No general object serialization is used anywhere: every field has a fixed binary layout.
 */
package io.audiosockets.protocol;
