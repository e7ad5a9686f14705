package io.audiosockets.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates a Python {@code logging} format string (the paper's {@code logging_format}, e.g.
 * {@code "%(asctime)s - %(message)s"}) into a Logback/SLF4J layout pattern.
 *
 * <p>Supported attributes: asctime, message, levelname, levelno, name, module, threadName,
 * thread, filename, pathname, funcName, lineno, msecs, created, relativeCreated; with Python's
 * optional flags and width ({@code %(levelname)-8s}). {@code %%} is a literal percent sign.
 */
public final class PythonLogFormat {
    private static final Pattern FIELD = Pattern.compile("%\\((\\w+)\\)([-#0 +]*)(\\d*)(?:\\.(\\d+))?([sdfrixXeEgGc])|%%");

    private static final Map<String, String> CONVERSIONS = Map.ofEntries(
            Map.entry("asctime", "d{yyyy-MM-dd HH:mm:ss,SSS}"),
            Map.entry("message", "msg"),
            Map.entry("levelname", "level"),
            Map.entry("levelno", "level"),
            Map.entry("name", "logger"),
            Map.entry("module", "logger{0}"),
            Map.entry("threadName", "thread"),
            Map.entry("thread", "thread"),
            Map.entry("filename", "file"),
            Map.entry("pathname", "file"),
            Map.entry("funcName", "method"),
            Map.entry("lineno", "line"),
            Map.entry("msecs", "d{SSS}"),
            Map.entry("created", "d{UNIX_MILLIS}"),
            Map.entry("relativeCreated", "relative"));

    private PythonLogFormat() {
    }

    /**
     * The Logback pattern for {@code pythonFormat}, ending with a newline.
     *
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
                        + String.join(", ", new java.util.TreeSet<>(CONVERSIONS.keySet())) + ")");
            }
            out.append('%');
            if (!m.group(3).isEmpty()) {
                out.append(m.group(2).contains("-") ? "-" : "").append(m.group(3));
            }
            out.append(conversion);
        }
        out.append(escapeLiteral(pythonFormat.substring(last)));
        return out + "%n";
    }

    private static String escapeLiteral(String s) {
        // Logback gives '%', '(' , ')' and '\' meaning; Python's literal text has none.
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("(", "\\(").replace(")", "\\)");
    }
}
