package io.audiosockets.internal.config;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates a Python {@code logging} format string (the paper's {@code logging_format}, e.g.
 * {@code "%(asctime)s - %(message)s"}) into a Logback/SLF4J layout pattern that prints what
 * Python would print.
 *
 * <p>Supported attributes: asctime, message, levelname, levelno, name, module, threadName,
 * thread, filename, pathname, funcName, lineno, msecs, created, relativeCreated; with Python's
 * optional flags, width and precision ({@code %(levelname)-8s}, {@code %(levelname).1s}).
 * {@code %%} is a literal percent sign. Level names follow Python ({@code WARNING}, not
 * {@code WARN}); {@code created} prints epoch seconds with millisecond precision.
 */
public final class PythonLogFormat {
    private static final Pattern FIELD = Pattern.compile("%\\((\\w+)\\)([-#0 +]*)(\\d*)(?:\\.(\\d+))?([sdfrixXeEgGc])|%%");

    /** Python's level names: Logback's WARN is Python's WARNING; TRACE has no Python name and stays. */
    private static final String LEVEL_NAME = "replace(%level){'^WARN$','WARNING'}";

    /** Python's level numbers (DEBUG 10 … ERROR 40); Logback's TRACE becomes 5, below DEBUG. */
    private static final String LEVEL_NUMBER =
            "replace(%replace(%replace(%replace(%replace(%level){'^TRACE$','5'}){'^DEBUG$','10'}){'^INFO$','20'})"
                    + "{'^WARN$','30'}){'^ERROR$','40'}";

    /**
     * Logback conversions. Each is written so that the next character cannot extend it: a keyword
     * is closed by an option block, since Logback would read {@code %levelX} as keyword "levelX".
     */
    private static final Map<String, String> CONVERSIONS = Map.ofEntries(
            // Inside Logback's option braces a comma separates options: the date pattern is quoted.
            Map.entry("asctime", "d{\"yyyy-MM-dd HH:mm:ss,SSS\"}"),
            Map.entry("message", "msg{}"),
            Map.entry("levelname", LEVEL_NAME),
            Map.entry("levelno", LEVEL_NUMBER),
            Map.entry("name", "logger{}"),
            Map.entry("module", "logger{0}"),
            Map.entry("threadName", "thread{}"),
            Map.entry("thread", "thread{}"),
            Map.entry("filename", "file{}"),
            Map.entry("pathname", "file{}"),
            Map.entry("funcName", "method{}"),
            Map.entry("lineno", "line{}"),
            Map.entry("msecs", "d{SSS}"),
            Map.entry("created", "replace(%epoch{seconds}.%d{SSS}){'$',''}"),
            Map.entry("relativeCreated", "relative{}"));

    private PythonLogFormat() {
    }

    /**
     * The Logback pattern for {@code pythonFormat}, ending with a newline.
     *
     * @param pythonFormat a Python {@code logging} format string
     * @return the equivalent Logback pattern
     * @throws IllegalArgumentException naming the first unsupported attribute
     */
    public static String toLogbackPattern(String pythonFormat) {
        StringBuilder out = new StringBuilder();
        Matcher m = FIELD.matcher(pythonFormat);
        int last = 0;
        while (m.find()) {
            out.append(escapeLiteral(pythonFormat.substring(last, m.start())));
            last = m.end();
            if (m.group().equals("%%")) {
                out.append("\\%");
                continue;
            }
            String conversion = CONVERSIONS.get(m.group(1));
            if (conversion == null) {
                throw new IllegalArgumentException("logging attribute %(" + m.group(1) + ") is not supported (supported: "
                        + String.join(", ", new TreeSet<>(CONVERSIONS.keySet())) + ")");
            }
            out.append('%');
            if (!m.group(3).isEmpty()) {
                out.append(m.group(2).contains("-") ? "-" : "").append(m.group(3));
            }
            if (m.group(4) != null) {
                // Python's precision keeps the first N characters; Logback's ".-N" does the same.
                out.append(".-").append(m.group(4));
            }
            out.append(conversion);
        }
        out.append(escapeLiteral(pythonFormat.substring(last)));
        return out + "%n";
    }

    private static String escapeLiteral(String s) {
        // Logback gives '%', '(' , ')' and '\' meaning; Python's literal text has none. A '{' is
        // literal too, since every conversion above ends in an option block or a ')'.
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("(", "\\(").replace(")", "\\)");
    }
}
