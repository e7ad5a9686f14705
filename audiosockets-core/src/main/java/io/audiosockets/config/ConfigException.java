package io.audiosockets.config;

/**
 * A configuration file or value is unusable. The message names the file (when there is one),
 * the key and what was expected, so the user can fix it without reading code.
 */
public class ConfigException extends RuntimeException {
    /** A configuration error with a message naming the file and key at fault. */
    public ConfigException(String message) {
        super(message);
    }

    /** A configuration error caused by {@code cause} (an I/O or parse error). */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
