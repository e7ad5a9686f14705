package io.audiosockets.config;

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
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link NetworkConfig} from a JSON file: the paper's {@code server_info.json}, unchanged,
 * or one with our optional keys. Every error names the file and the key.
 *
 * <p>Unknown keys are refused (a misspelt {@code RETENTON_SECONDS} would otherwise be silently
 * ignored); the error lists the keys that are known.
 */
public final class ConfigLoader {
    /** Every key this version understands, the paper's seven first. */
    public static final Set<String> KEYS = Set.of("SERVER", "PORT", "HEADER", "FORMAT", "DISCONNECT_MSG", "logging_format",
            "logging_level", "MAX_FRAME_BYTES", "ACK_WINDOW", "PROCESSOR_WINDOW", "RETENTION_SECONDS", "RETENTION_BYTES",
            "RECORDER_BUFFER_SECONDS", "RECORDER_BUFFER_BYTES", "HEARTBEAT_SECONDS", "HEARTBEAT_TIMEOUT_SECONDS", "HANDSHAKE_TIMEOUT_SECONDS",
            "RECONNECT_SECONDS");

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
        return parse(text, file.toString());
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
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                apply(b, e.getKey(), e.getValue());
            } catch (ConfigException | IllegalArgumentException ex) {
                throw new ConfigException(origin + ": key '" + e.getKey() + "': " + stripKey(ex.getMessage(), e.getKey()), ex);
            }
        }
        try {
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
            case "RETENTION_SECONDS" -> b.retention(seconds(v));
            case "RETENTION_BYTES" -> b.retentionBytes(longValue(v));
            case "RECORDER_BUFFER_SECONDS" -> b.recorderBuffer(seconds(v));
            case "RECORDER_BUFFER_BYTES" -> b.recorderBufferBytes(longValue(v));
            case "HEARTBEAT_SECONDS" -> b.heartbeat(seconds(v));
            case "HEARTBEAT_TIMEOUT_SECONDS" -> b.heartbeatTimeout(seconds(v));
            case "HANDSHAKE_TIMEOUT_SECONDS" -> b.handshakeTimeout(seconds(v));
            case "RECONNECT_SECONDS" -> b.reconnectInterval(seconds(v));
            default -> throw new ConfigException("unknown key (known keys: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
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
