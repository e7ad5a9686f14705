/**
 * The built-in processors of the {@code audiosockets process} command and the demo: each a
 * {@link io.audiosockets.processor.BaseProcessor} that prints one compact line per chunk or event.
 */
package io.audiosockets.builtin;
