/**
 * How the mailman's HTTP side is served: the Netty HTTP and WebSocket handlers behind
 * {@link io.audiosockets.http}. Internal: not a supported API.
 */
package io.audiosockets.internal.http;
