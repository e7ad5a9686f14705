package io.audiosockets.internal.config;

import io.audiosockets.config.ConfigException;
import io.audiosockets.config.LogLevel;
import io.audiosockets.config.NetworkConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ConfigLoader} on real files: the paper's {@code server_info.json} exactly as printed,
 * our optional keys, defaults, and one precise error (naming the file and the key) for each way
 * a file can be wrong.
 */
class ConfigLoaderTest {

    /** The paper's example, byte for byte, including the line break the PDF layout put before the logging_format value. */
    static final String PAPER_EXAMPLE = """
            {
            "SERVER": "172.16.12.10",
            "PORT": 5050,
            "HEADER": 64,
            "FORMAT": "utf-8",
            "DISCONNECT_MSG": "DISCONNECT",
            "logging_format":
            "%(asctime)s-%(message)s",
            "logging_level": "info"
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** The paper's example with {@code "key": value} replaced or added (value is raw JSON). */
    private static String paperWith(String key, String rawValue) {
        String entry = "\"" + key + "\": " + rawValue;
        String[] lines = PAPER_EXAMPLE.split("\n");
        StringBuilder out = new StringBuilder();
        boolean replaced = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("\"" + key + "\":")) {
                replaced = true;
                boolean last = !line.endsWith(",") && !line.endsWith(":");
                if (line.endsWith(":")) {
                    i++; // the value is on the next line (logging_format)
                    last = !lines[i].endsWith(",");
                }
                out.append(entry).append(last ? "" : ",").append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        String json = out.toString();
        if (!replaced) {
            json = json.replaceFirst("\\{\n", "{\n" + java.util.regex.Matcher.quoteReplacement(entry) + ",\n");
        }
        return json;
    }

    /** Loads {@code content} from a file and expects a {@link ConfigException} naming the file and every one of {@code parts}. */
    private ConfigException expectError(String content, String... parts) throws IOException {
        Path file = write("server_info.json", content);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e).as("loading %s must fail", content).isNotNull();
        assertThat(e.getMessage()).as("the error names the file").contains(file.toString());
        for (String part : parts) {
            assertThat(e.getMessage()).as("the error for %s", content).contains(part);
        }
        return e;
    }

    @Test
    void thePapersExampleLoadsExactlyAsPrinted() throws IOException {
        assertThat(PAPER_EXAMPLE).as("the text block is the paper's file").startsWith("{\n\"SERVER\"")
                .contains("\"logging_format\":\n\"%(asctime)s-%(message)s\",\n");
        NetworkConfig c = ConfigLoader.load(write("server_info.json", PAPER_EXAMPLE));
        assertThat(c.server()).isEqualTo(Optional.of("172.16.12.10"));
        assertThat(c.host()).isEqualTo("172.16.12.10");
        assertThat(c.port()).isEqualTo(5050);
        assertThat(c.header()).isEqualTo(64);
        assertThat(c.format()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(c.disconnectMsg()).isEqualTo("DISCONNECT");
        assertThat(c.loggingFormat()).isEqualTo("%(asctime)s-%(message)s");
        assertThat(c.loggingLevel()).isEqualTo(LogLevel.INFO);
        // Everything the paper does not set keeps its default.
        NetworkConfig d = NetworkConfig.defaults();
        assertThat(c.maxFrameBytes()).isEqualTo(d.maxFrameBytes());
        assertThat(c.recorderWindow()).isEqualTo(d.recorderWindow());
        assertThat(c.processorWindow()).isEqualTo(d.processorWindow());
        assertThat(c.retention()).isEqualTo(d.retention());
        assertThat(c.heartbeat()).isEqualTo(d.heartbeat());
    }

    @Test
    void windowsLineEndingsLoadToo() throws IOException {
        NetworkConfig c = ConfigLoader.load(write("crlf.json", PAPER_EXAMPLE.replace("\n", "\r\n")));
        assertThat(c.port()).isEqualTo(5050);
        assertThat(c.loggingFormat()).isEqualTo("%(asctime)s-%(message)s");
    }

    @Test
    void ourOptionalKeysLoadWithTheirValues() throws IOException {
        String json = """
                {
                  "SERVER": "0.0.0.0",
                  "PORT": 0,
                  "HEADER": 8,
                  "FORMAT": "ascii",
                  "DISCONNECT_MSG": "bye now",
                  "logging_format": "%(levelname)s %(message)s",
                  "logging_level": "WARNING",
                  "MAX_FRAME_BYTES": 65536,
                  "ACK_WINDOW": 1,
                  "PROCESSOR_WINDOW": 65535,
                  "RETENTION_SECONDS": 2.5,
                  "RETENTION_BYTES": 1048576,
                  "RECORDER_BUFFER_SECONDS": 0,
                  "RECORDER_BUFFER_BYTES": 2097152,
                  "HEARTBEAT_SECONDS": 0.5,
                  "HEARTBEAT_TIMEOUT_SECONDS": 1.25,
                  "HANDSHAKE_TIMEOUT_SECONDS": 3,
                  "RECONNECT_SECONDS": 0.1
                }
                """;
        NetworkConfig c = ConfigLoader.load(write("full.json", json));
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isZero();
        assertThat(c.header()).isEqualTo(8);
        assertThat(c.format()).isEqualTo(StandardCharsets.US_ASCII);
        assertThat(c.disconnectMsg()).isEqualTo("bye now");
        assertThat(c.loggingFormat()).isEqualTo("%(levelname)s %(message)s");
        assertThat(c.loggingLevel()).isEqualTo(LogLevel.WARN);
        assertThat(c.maxFrameBytes()).isEqualTo(65536);
        assertThat(c.recorderWindow()).isEqualTo(1);
        assertThat(c.processorWindow()).isEqualTo(65535);
        assertThat(c.retention()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.retentionBytes()).isEqualTo(1048576L);
        assertThat(c.recorderBuffer()).isEqualTo(Duration.ZERO);
        assertThat(c.recorderBufferBytes()).isEqualTo(2_097_152L);
        assertThat(c.heartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofMillis(1250));
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.reconnectInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anEmptyObjectGivesTheDefaults() throws IOException {
        NetworkConfig c = ConfigLoader.load(write("empty.json", "{}"));
        assertThat(c).isEqualTo(NetworkConfig.defaults());
        assertThat(c.server()).isEmpty();
        assertThat(c.host()).as("SERVER absent means loopback").isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(5050);
        assertThat(c.header()).isEqualTo(64);
        assertThat(c.format()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(c.disconnectMsg()).isEqualTo("DISCONNECT");
        assertThat(c.loggingFormat()).isEqualTo(NetworkConfig.DEFAULT_LOGGING_FORMAT);
        assertThat(c.loggingLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.maxFrameBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(c.recorderWindow()).isEqualTo(64);
        assertThat(c.processorWindow()).isEqualTo(64);
        assertThat(c.retention()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retentionBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.recorderBuffer()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.recorderBufferBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.reconnectInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBlankServerMeansLoopback() throws IOException {
        assertThat(ConfigLoader.load(write("blank.json", "{\"SERVER\": \"\"}")).host()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest(name = "logging_level {0} -> {1}")
    @CsvSource({
            "'\"INFO\"', INFO", "'\"info\"', INFO", "'\"Warning\"', WARN", "'\"WARN\"', WARN", "'\"critical\"', ERROR",
            "'\"CRITICAL\"', ERROR", "'\"error\"', ERROR", "'\"debug\"', DEBUG", "'\"DeBuG\"', DEBUG", "'\"notset\"', TRACE",
            "'\" info \"', INFO", "10, DEBUG", "20, INFO", "30, WARN", "40, ERROR", "50, ERROR", "'\"20\"', INFO"})
    void loggingLevelParsesInAnyCaseAndAsANumber(String rawJson, LogLevel expected) throws IOException {
        NetworkConfig c = ConfigLoader.load(write("level.json", paperWith("logging_level", rawJson)));
        assertThat(c.loggingLevel()).as("logging_level %s", rawJson).isEqualTo(expected);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("no_such_server_info.json");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(missing.toString()).contains("not found");
    }

    @Test
    void aDirectoryInsteadOfAFileIsNamed() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(dir.toString()).contains("cannot read");
    }

    @Test
    void malformedJsonGivesTheLineAndColumn() throws IOException {
        // A missing comma after the PORT value on line 3: the parser notices at the next key, on line 4.
        ConfigException e = expectError("{\n\"SERVER\": \"172.16.12.10\",\n\"PORT\": 5050\n\"HEADER\": 64\n}\n",
                "malformed JSON", "line 4", "column");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void aTruncatedFileIsMalformed() throws IOException {
        expectError(PAPER_EXAMPLE.substring(0, PAPER_EXAMPLE.indexOf("\"HEADER\"")), "malformed JSON");
    }

    @Test
    void somethingOtherThanAnObjectIsRefused() throws IOException {
        expectError("[\"SERVER\", \"172.16.12.10\"]", "expected a JSON object", "array");
        expectError("5050", "expected a JSON object", "number");
        expectError("\"172.16.12.10\"", "expected a JSON object", "string");
    }

    @Test
    void portAsAStringIsRefused() throws IOException {
        expectError(paperWith("PORT", "\"5050\""), "key 'PORT'", "expected an integer 0..65535", "string");
    }

    @Test
    void portOutOfRangeIsRefused() throws IOException {
        expectError(paperWith("PORT", "70000"), "key 'PORT'", "70000", "0..65535");
        expectError(paperWith("PORT", "-1"), "key 'PORT'", "-1");
        expectError(paperWith("PORT", "50.5"), "key 'PORT'", "50.5");
    }

    @Test
    void headerZeroIsRefused() throws IOException {
        expectError(paperWith("HEADER", "0"), "key 'HEADER'", "got 0");
    }

    @ParameterizedTest(name = "FORMAT {0}")
    @CsvSource({"latin-1", "klingon", "ISO-8859-1", "utf-16", "''"})
    void aFormatOtherThanUtf8IsRefused(String format) throws IOException {
        expectError(paperWith("FORMAT", "\"" + format + "\""), "key 'FORMAT'", "utf-8");
    }

    @ParameterizedTest(name = "FORMAT {0}")
    @CsvSource({"utf-8", "UTF-8", "utf8", "US-ASCII", "ascii"})
    void utf8AndAsciiSpellingsAreAccepted(String format) throws IOException {
        assertThat(ConfigLoader.load(write("f.json", paperWith("FORMAT", "\"" + format + "\""))).format())
                .isIn(StandardCharsets.UTF_8, StandardCharsets.US_ASCII);
    }

    @Test
    void anUnknownLoggingLevelIsRefused() throws IOException {
        expectError(paperWith("logging_level", "\"loud\""), "key 'logging_level'", "'loud'", "debug, info");
        expectError(paperWith("logging_level", "25"), "key 'logging_level'", "'25'");
        expectError(paperWith("logging_level", "true"), "key 'logging_level'");
    }

    @Test
    void anUnsupportedLoggingAttributeIsRefusedAtLoadTime() throws IOException {
        expectError(paperWith("logging_format", "\"%(asctime)s %(bogus)s\""), "key 'logging_format'", "%(bogus)",
                "supported:", "asctime");
    }

    @Test
    void aMisspeltKeyIsRefusedListingTheKnownKeys() throws IOException {
        ConfigException e = expectError(paperWith("RETENTON_SECONDS", "10"), "key 'RETENTON_SECONDS'", "unknown key");
        for (String known : ConfigLoader.KEYS) {
            assertThat(e.getMessage()).as("the known keys are listed").contains(known);
        }
    }

    @Test
    void aMisspeltKeyNamesTheClosestKnownOne() throws IOException {
        expectError(paperWith("PROT", "5050"), "key 'PROT'", "unknown key", "did you mean PORT?");
        expectError(paperWith("RETENTION_SECOND", "10"), "key 'RETENTION_SECOND'", "did you mean RETENTION_SECONDS?");
        expectError(paperWith("RETENTON_SECONDS", "10"), "did you mean RETENTION_SECONDS?");
        expectError(paperWith("logging_levle", "\"info\""), "did you mean logging_level?");
        expectError(paperWith("SEVRER", "\"127.0.0.1\""), "did you mean SERVER?");
    }

    @Test
    void aKeyCloseToNothingGetsNoGuess() throws IOException {
        ConfigException e = expectError(paperWith("BANANA", "1"), "key 'BANANA'", "unknown key", "known keys");
        assertThat(e.getMessage()).doesNotContain("did you mean");
    }

    @Test
    void keysAreCaseSensitive() throws IOException {
        expectError(paperWith("Port", "5050"), "key 'Port'", "keys are case-sensitive", "did you mean PORT?");
        expectError(paperWith("port", "5050"), "key 'port'", "unknown key", "PORT");
    }

    @Test
    void aDuplicateKeyIsRefused() throws IOException {
        String json = PAPER_EXAMPLE.replace("\"HEADER\": 64,", "\"HEADER\": 64,\n\"PORT\": 6060,");
        expectError(json, "PORT", "Duplicate");
    }

    @Test
    void aHeartbeatTimeoutNotLongerThanTheHeartbeatIsRefused() throws IOException {
        expectError("{\"HEARTBEAT_SECONDS\": 5, \"HEARTBEAT_TIMEOUT_SECONDS\": 5}", "HEARTBEAT_TIMEOUT_SECONDS", "HEARTBEAT_SECONDS");
        expectError("{\"HEARTBEAT_SECONDS\": 5, \"HEARTBEAT_TIMEOUT_SECONDS\": 2}", "HEARTBEAT_TIMEOUT_SECONDS", "> HEARTBEAT_SECONDS");
        // Only the default heartbeat (5 s) given: a timeout of 4 s is still too short.
        expectError("{\"HEARTBEAT_TIMEOUT_SECONDS\": 4}", "HEARTBEAT_TIMEOUT_SECONDS");
    }

    @Test
    void aNegativeRetentionIsRefused() throws IOException {
        expectError(paperWith("RETENTION_SECONDS", "-1"), "key 'RETENTION_SECONDS'", "-1");
        expectError(paperWith("RETENTION_SECONDS", "0"), "RETENTION_SECONDS", "> 0");
        expectError(paperWith("RETENTION_SECONDS", "\"30\""), "key 'RETENTION_SECONDS'", "string");
    }

    @Test
    void otherOutOfRangeOptionalKeysAreRefused() throws IOException {
        expectError("{\"MAX_FRAME_BYTES\": 100}", "key 'MAX_FRAME_BYTES'", "1024");
        expectError("{\"ACK_WINDOW\": 0}", "key 'ACK_WINDOW'", "1..65535");
        expectError("{\"PROCESSOR_WINDOW\": 65536}", "key 'PROCESSOR_WINDOW'", "65536");
        expectError("{\"RETENTION_BYTES\": 0}", "key 'RETENTION_BYTES'", "positive");
        expectError("{\"RETENTION_BYTES\": 2048}", "RETENTION_BYTES", "MAX_FRAME_BYTES");
        expectError("{\"RECORDER_BUFFER_BYTES\": 2048}", "RECORDER_BUFFER_BYTES", "MAX_FRAME_BYTES");
        expectError("{\"HANDSHAKE_TIMEOUT_SECONDS\": 0}", "HANDSHAKE_TIMEOUT_SECONDS", "> 0");
        expectError("{\"RECONNECT_SECONDS\": -0.5}", "key 'RECONNECT_SECONDS'");
        expectError("{\"DISCONNECT_MSG\": \"\"}", "DISCONNECT_MSG", "1..1024");
        expectError("{\"DISCONNECT_MSG\": 7}", "key 'DISCONNECT_MSG'", "expected a string");
        expectError("{\"SERVER\": null}", "key 'SERVER'", "expected a string");
    }

    @Test
    void contentAfterTheObjectIsRefused() throws IOException {
        // E.g. two configs pasted into one file: today the first silently wins (PORT 5050) and the second is ignored.
        expectError(PAPER_EXAMPLE + "{\"PORT\": 6060}\n", "malformed JSON");
        expectError(PAPER_EXAMPLE + "garbage\n", "malformed JSON");
    }

    @Test
    void anEmptyFileIsCalledEmpty() throws IOException {
        expectError("", "expected a JSON object", "empty file");
        expectError("  \n", "expected a JSON object", "empty file");
    }

    @Test
    void anEmptyFileIsRefused() throws IOException {
        // What holds today (see anEmptyFileIsCalledEmpty for the wording).
        expectError("", "expected a JSON object");
    }
}
