package io.audiosockets.config;

import java.util.Locale;

/**
 * A logging threshold, parsed from the paper's {@code logging_level}: Python's level names in
 * any letter case ({@code debug}, {@code INFO}, {@code Warning}, {@code critical}...), their
 * numbers (10, 20, 30, 40, 50), or the SLF4J names.
 */
public enum LogLevel {
    /** Everything, including per-chunk detail. Python's NOTSET (0) maps here. */
    TRACE,
    /** Connection attempts and protocol detail. Python's DEBUG (10). */
    DEBUG,
    /** Connects, registrations, disconnects, gaps, periodic counters. Python's INFO (20). */
    INFO,
    /** Problems the system works around (a reconnect, a gap). Python's WARNING (30). */
    WARN,
    /** Failures. Python's ERROR (40) and CRITICAL (50). */
    ERROR;

    /**
     * Parses a level name or number.
     *
     * @throws IllegalArgumentException listing the accepted values
     */
    public static LogLevel parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        switch (t) {
            case "NOTSET": case "ALL": case "TRACE": case "0": return TRACE;
            case "DEBUG": case "10": return DEBUG;
            case "INFO": case "20": return INFO;
            case "WARNING": case "WARN": case "30": return WARN;
            case "ERROR": case "40": case "CRITICAL": case "FATAL": case "50": return ERROR;
            default:
                throw new IllegalArgumentException("'" + text + "' is not a logging level (expected one of debug, info, "
                        + "warning, error, critical, in any letter case, or 10/20/30/40/50)");
        }
    }
}
