package io.audiosockets.internal.config;

import io.audiosockets.config.ConfigException;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.config.Security;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link NetworkConfig} from a JSON file: the paper's {@code server_info.json}, unchanged,
 * or one with our optional keys. Every error names the file and the key.
 *
 * <p>Unknown keys are refused (a misspelt {@code RETENTON_SECONDS} would otherwise be silently
 * ignored); the error names the closest known key ("did you mean RETENTION_SECONDS?") when one is
 * close, and lists the keys that are known.
 */
public final class ConfigLoader {
    /** Every key this version understands, the paper's seven first. */
    public static final Set<String> KEYS = Set.of("SERVER", "PORT", "HEADER", "FORMAT", "DISCONNECT_MSG", "logging_format",
            "logging_level", "MAX_FRAME_BYTES", "ACK_WINDOW", "PROCESSOR_WINDOW", "ACK_DELAY_MILLIS", "RETENTION_SECONDS", "RETENTION_BYTES",
            "RECORDER_BUFFER_SECONDS", "RECORDER_BUFFER_BYTES", "HEARTBEAT_SECONDS", "HEARTBEAT_TIMEOUT_SECONDS", "HANDSHAKE_TIMEOUT_SECONDS",
            "RECONNECT_SECONDS", "TOKEN", "RECORDER_TOKEN", "PROCESSOR_TOKEN", "TLS", "TLS_CERT", "TLS_KEY", "TLS_CA",
            "TLS_FINGERPRINT", "MAX_CONNECTIONS", "MAX_STREAMS", "MAX_PROCESSORS", "MAX_UNACKED_BYTES", "RETENTION_MAX_BYTES",
            "HTTP_PORT", "HTTP_HOST", "LAG_WARN_SECONDS");

    /** Environment variables that override a token key: the way to keep a secret out of files and process lists. */
    public static final Map<String, String> TOKEN_ENVIRONMENT = Map.of("AUDIOSOCKETS_TOKEN", "TOKEN",
            "AUDIOSOCKETS_RECORDER_TOKEN", "RECORDER_TOKEN", "AUDIOSOCKETS_PROCESSOR_TOKEN", "PROCESSOR_TOKEN");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // Two configs pasted into one file must not let the first silently win.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConfigLoader() {
    }

    /**
     * Loads {@code file}.
     *
     * @throws ConfigException if the file cannot be read, is not a JSON object, or a key is
     *         unknown or has a bad value; the message names the file and the key
     */
    public static NetworkConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found (absolute path: " + file.toAbsolutePath()
                    + "); pass an existing file with -c, or leave -c out to use the defaults");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e, e);
        }
        NetworkConfig parsed = parse(text, file.toString());
        Path dir = file.toAbsolutePath().getParent();
        Security s = parsed.security();
        Security resolved = s.withTls(s.tls(), s.tlsCert().map(dir::resolve), s.tlsKey().map(dir::resolve),
                s.tlsCa().map(dir::resolve), s.tlsFingerprint());
        return withEnvironment(parsed.toBuilder().security(resolved).build(), System.getenv());
    }

    /**
     * {@code config} with the tokens set in {@code env} ({@link #TOKEN_ENVIRONMENT}) in place of
     * the file's. {@link #load(Path)} applies the process environment; so do the commands when
     * they run without a file.
     */
    public static NetworkConfig withEnvironment(NetworkConfig config, Map<String, String> env) {
        Security s = config.security();
        String token = env.getOrDefault("AUDIOSOCKETS_TOKEN", s.token());
        String recorder = env.getOrDefault("AUDIOSOCKETS_RECORDER_TOKEN", s.recorderToken());
        String processor = env.getOrDefault("AUDIOSOCKETS_PROCESSOR_TOKEN", s.processorToken());
        return config.toBuilder().security(s.withTokens(token, recorder, processor)).build();
    }

    /**
     * Parses JSON text; {@code origin} names it in error messages.
     *
     * @throws ConfigException as {@link #load(Path)}
     */
    public static NetworkConfig parse(String json, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonParseException e) {
            throw new ConfigException(origin + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            boolean empty = root == null || root.isMissingNode();
            throw new ConfigException(origin + ": expected a JSON object such as {\"SERVER\": \"127.0.0.1\", \"PORT\": 5050}, got "
                    + (empty ? "an empty file" : root.getNodeType().toString().toLowerCase()));
        }
        NetworkConfig.Builder b = NetworkConfig.builder();
        Map<String, JsonNode> security = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                if (e.getKey().startsWith("TLS") || e.getKey().endsWith("TOKEN")) {
                    security.put(e.getKey(), e.getValue());
                }
                apply(b, e.getKey(), e.getValue());
            } catch (ConfigException | IllegalArgumentException ex) {
                throw new ConfigException(origin + ": key '" + e.getKey() + "': " + stripKey(ex.getMessage(), e.getKey()), ex);
            }
        }
        try {
            b.security(security(security));
            return b.build();
        } catch (ConfigException ex) {
            throw new ConfigException(origin + ": " + ex.getMessage(), ex);
        }
    }

    private static String stripKey(String message, String key) {
        String prefix = "key '" + key + "': ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static void apply(NetworkConfig.Builder b, String key, JsonNode v) {
        switch (key) {
            case "SERVER" -> b.server(text(v));
            case "PORT" -> b.port(integer(v, 0, 65535));
            case "HEADER" -> b.header(integer(v, 1, Integer.MAX_VALUE));
            case "FORMAT" -> b.format(charset(text(v)));
            case "DISCONNECT_MSG" -> b.disconnectMsg(text(v));
            case "logging_format" -> {
                String f = text(v);
                PythonLogFormat.toLogbackPattern(f); // refuse an unsupported attribute now, not at first log line
                b.loggingFormat(f);
            }
            case "logging_level" -> b.loggingLevel(LogLevel.parse(v.isNumber() ? v.asText() : text(v)));
            case "MAX_FRAME_BYTES" -> b.maxFrameBytes(integer(v, 1024, NetworkConfig.MAX_MAX_FRAME_BYTES));
            case "ACK_WINDOW" -> b.recorderWindow(integer(v, 1, 65535));
            case "PROCESSOR_WINDOW" -> b.processorWindow(integer(v, 1, 65535));
            case "ACK_DELAY_MILLIS" -> b.ackDelay(Duration.ofMillis(integer(v, 0, (int) NetworkConfig.MAX_ACK_DELAY.toMillis())));
            case "RETENTION_SECONDS" -> b.retention(seconds(v));
            case "RETENTION_BYTES" -> b.retentionBytes(longValue(v));
            case "RECORDER_BUFFER_SECONDS" -> b.recorderBuffer(seconds(v));
            case "RECORDER_BUFFER_BYTES" -> b.recorderBufferBytes(longValue(v));
            case "HEARTBEAT_SECONDS" -> b.heartbeat(seconds(v));
            case "HEARTBEAT_TIMEOUT_SECONDS" -> b.heartbeatTimeout(seconds(v));
            case "HANDSHAKE_TIMEOUT_SECONDS" -> b.handshakeTimeout(seconds(v));
            case "RECONNECT_SECONDS" -> b.reconnectInterval(seconds(v));
            case "TOKEN", "RECORDER_TOKEN", "PROCESSOR_TOKEN", "TLS_CERT", "TLS_KEY", "TLS_CA", "TLS_FINGERPRINT" -> text(v);
            case "TLS" -> bool(v);
            case "MAX_CONNECTIONS" -> b.limits(b.limits().withMaxConnections(integer(v, 1, Integer.MAX_VALUE)));
            case "MAX_STREAMS" -> b.limits(b.limits().withMaxStreams(integer(v, 1, Integer.MAX_VALUE)));
            case "MAX_PROCESSORS" -> b.limits(b.limits().withMaxProcessors(integer(v, 1, Integer.MAX_VALUE)));
            case "MAX_UNACKED_BYTES" -> b.limits(b.limits().withMaxUnackedBytes(longValue(v)));
            case "RETENTION_MAX_BYTES" -> b.limits(b.limits().withRetentionMaxBytes(nonNegativeLong(v)));
            case "HTTP_PORT" -> b.monitoring(b.monitoring().withHttpPort(integer(v, -1, 65535)));
            case "HTTP_HOST" -> b.monitoring(b.monitoring().withHttpHost(text(v)));
            case "LAG_WARN_SECONDS" -> b.monitoring(b.monitoring().withLagWarn(seconds(v)));
            default -> throw new ConfigException("unknown key" + guess(key) + " (known keys: " + String.join(", ", new TreeSet<>(KEYS))
                    + ")");
        }
    }

    /**
     * ", did you mean PORT?" for the known key (or keys) closest to {@code unknown}, or nothing if
     * none is close: letter case ignored, a swap of two neighbouring letters counted as one edit,
     * and at most one edit per three letters of the key (a typo, not a different word).
     */
    static String guess(String unknown) {
        String upper = unknown.toUpperCase(Locale.ROOT);
        int best = Math.max(1, unknown.length() / 3) + 1;
        List<String> closest = new ArrayList<>();
        for (String known : new TreeSet<>(KEYS)) {
            int d = editDistance(upper, known.toUpperCase(Locale.ROOT));
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best) {
                closest.add(known);
            }
        }
        if (closest.isEmpty()) {
            return "";
        }
        return (best == 0 ? ": keys are case-sensitive" : "") + ", did you mean " + String.join(" or ", closest) + "?";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps ("PROT" is one from "PORT"). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    // The security keys are checked one by one in apply(); here they are combined (TLS_CERT needs TLS_KEY...).
    private static Security security(Map<String, JsonNode> keys) {
        java.util.function.Function<String, java.util.Optional<String>> opt =
                k -> java.util.Optional.ofNullable(keys.get(k)).map(JsonNode::textValue).filter(t -> !t.isBlank());
        java.util.function.Function<String, java.util.Optional<Path>> path = k -> opt.apply(k).map(Path::of);
        return new Security(opt.apply("TOKEN").orElse(""), opt.apply("RECORDER_TOKEN").orElse(""),
                opt.apply("PROCESSOR_TOKEN").orElse(""), keys.containsKey("TLS") && keys.get("TLS").booleanValue(),
                path.apply("TLS_CERT"), path.apply("TLS_KEY"), path.apply("TLS_CA"), opt.apply("TLS_FINGERPRINT"));
    }

    private static boolean bool(JsonNode v) {
        if (!v.isBoolean()) {
            throw new ConfigException("expected true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    private static String text(JsonNode v) {
        if (!v.isTextual()) {
            throw new ConfigException("expected a string, got " + describe(v));
        }
        return v.textValue();
    }

    private static int integer(JsonNode v, int min, int max) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ConfigException("expected an integer " + min + ".." + max + ", got " + describe(v));
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw new ConfigException("expected an integer " + min + ".." + max + ", got " + i);
        }
        return i;
    }

    private static long nonNegativeLong(JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new ConfigException("expected an integer >= 0, got " + describe(v));
        }
        return v.longValue();
    }

    private static long longValue(JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() <= 0) {
            throw new ConfigException("expected a positive integer, got " + describe(v));
        }
        return v.longValue();
    }

    private static Duration seconds(JsonNode v) {
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 86_400 * 365.0) {
            throw new ConfigException("expected a number of seconds >= 0, got " + describe(v));
        }
        return Duration.ofNanos(Math.round(v.doubleValue() * 1e9));
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ConfigException("'" + name + "' is not a known text encoding (expected utf-8 or ascii)");
        }
    }

    private static String describe(JsonNode v) {
        return v.getNodeType().toString().toLowerCase() + " " + v;
    }
}
