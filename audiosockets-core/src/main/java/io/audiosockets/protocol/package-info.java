/**
 * The values a user of audiosockets meets in callbacks and options: {@link io.audiosockets.protocol.Gap}
 * and its {@link io.audiosockets.protocol.GapReason}, {@link io.audiosockets.protocol.StartPosition},
 * {@link io.audiosockets.protocol.ErrorCode}, result-stream {@link io.audiosockets.protocol.ResultRecord}s
 * and their {@link io.audiosockets.protocol.ContentType}. Public API. The frames themselves, their
 * codec and their exceptions are internal ({@code io.audiosockets.internal.protocol}); PROTOCOL.md at
 * the root of the repository describes the bytes for implementers in other languages.
 */
package io.audiosockets.protocol;
