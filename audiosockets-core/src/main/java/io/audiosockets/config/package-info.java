/**
 * Configuration: {@link io.audiosockets.config.NetworkConfig}, the paper's
 * {@code server_info.json} and our optional keys, read by {@link io.audiosockets.internal.config.ConfigLoader}.
 * No networking here. Public API.
 */
package io.audiosockets.config;
