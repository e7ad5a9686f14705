/**
 * The processor client: subclass {@link io.audiosockets.processor.BaseProcessor} and override
 * {@code processData}, or hand it a {@link io.audiosockets.processor.ChunkHandler}. Public API.
 */
package io.audiosockets.processor;
