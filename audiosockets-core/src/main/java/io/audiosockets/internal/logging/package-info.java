/**
 * Logs out of the box: {@link io.audiosockets.internal.logging.LoggingSetup} applies a configuration's
 * {@code logging_format} and {@code logging_level} to Logback, and
 * {@link io.audiosockets.internal.logging.DefaultLogbackConfigurator} gives a library user readable logs
 * on stderr when there is no {@code logback.xml}. Both leave any other SLF4J backend alone.
 * Public API.
 */
package io.audiosockets.internal.logging;
