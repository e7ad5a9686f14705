package io.audiosockets.internal.config;

import io.audiosockets.config.NetworkConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PythonLogFormat}: the Python logging format of the paper's {@code logging_format}
 * becomes a Logback pattern that a real {@link PatternLayout} accepts without a parse error and
 * that prints what Python would print.
 */
class PythonLogFormatTest {
    private static final String NL = System.lineSeparator();
    private static final String LOGGER = "io.audiosockets.demo.Demo";
    /** 2024-03-05 14:07:09.123 UTC. */
    private static final long TIMESTAMP = Instant.parse("2024-03-05T14:07:09.123Z").toEpochMilli();

    /** What {@code %(asctime)s} prints for {@link #TIMESTAMP} in this JVM's time zone. */
    private static String asctime() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneId.systemDefault())
                .format(Instant.ofEpochMilli(TIMESTAMP));
    }

    /**
     * Formats one event with the Logback pattern made from {@code pythonFormat}, failing if
     * Logback reported any warning or error while parsing the pattern (Logback does not throw: it records a
     * status and prints %PARSER_ERROR).
     */
    private static String format(String pythonFormat, Level level, String message) {
        LoggerContext ctx = new LoggerContext();
        try {
            String pattern = PythonLogFormat.toLogbackPattern(pythonFormat);
            PatternLayout layout = new PatternLayout();
            layout.setContext(ctx);
            layout.setPattern(pattern);
            layout.start();
            StatusUtil status = new StatusUtil(ctx);
            assertThat(status.getHighestLevel(0)).as("Logback status while parsing pattern %s (made from %s): %s", pattern,
                    pythonFormat, ctx.getStatusManager().getCopyOfStatusList()).isLessThan(Status.WARN);
            assertThat(layout.isStarted()).as("layout started with pattern %s", pattern).isTrue();

            LoggingEvent event = new LoggingEvent("io.audiosockets.Fqcn", ctx.getLogger(LOGGER), level, message, null, null);
            event.setTimeStamp(TIMESTAMP);
            event.setThreadName("capture-mic");
            event.setCallerData(new StackTraceElement[] {new StackTraceElement("io.audiosockets.demo.Demo", "run", "Demo.java", 42)});
            String out = layout.doLayout(event);
            assertThat(out).as("output of pattern %s", pattern).doesNotContain("PARSER_ERROR");
            return out;
        } finally {
            ctx.stop();
        }
    }

    private static String format(String pythonFormat) {
        return format(pythonFormat, Level.INFO, "hello world");
    }

    @Test
    void thePapersFormat() {
        assertThat(format("%(asctime)s-%(message)s")).isEqualTo(asctime() + "-hello world" + NL);
    }

    @Test
    void thePapersFormatWithoutTheDate() {
        assertThat(format("%(levelname)s-%(message)s")).isEqualTo("INFO-hello world" + NL);
    }

    @Test
    void theClassicFormatWithAPaddedLevel() {
        String out = format("%(asctime)s - %(levelname)-8s - %(name)s - %(message)s", Level.WARN, "disk nearly full");
        assertThat(out).isEqualTo(asctime() + " - WARNING  - " + LOGGER + " - disk nearly full" + NL);
    }

    @Test
    void levelComesBeforeTheMessageWhenTheFormatSaysSo() {
        String out = format("%(levelname)s:%(name)s:%(message)s", Level.ERROR, "boom");
        assertThat(out).isEqualTo("ERROR:" + LOGGER + ":boom" + NL);
        assertThat(out.indexOf("ERROR")).isLessThan(out.indexOf("boom"));
        String reversed = format("%(message)s [%(levelname)s]", Level.ERROR, "boom");
        assertThat(reversed).isEqualTo("boom [ERROR]" + NL);
    }

    @Test
    void widthsPadLeftOrRightAsInPython() {
        assertThat(format("|%(levelname)-8s|")).isEqualTo("|INFO    |" + NL);
        assertThat(format("|%(levelname)8s|")).isEqualTo("|    INFO|" + NL);
        assertThat(format("|%(levelname)2s|")).as("a width shorter than the text never truncates").isEqualTo("|INFO|" + NL);
    }

    @Test
    void aDoublePercentIsALiteralPercent() {
        assertThat(format("100%% %(message)s")).isEqualTo("100% hello world" + NL);
        assertThat(format("%%(message)s")).as("%%(message)s is the literal text %(message)s in Python").isEqualTo("%(message)s" + NL);
        assertThat(format("%%%%")).isEqualTo("%%" + NL);
    }

    @Test
    void literalParenthesesBackslashesAndBracesArePrintedAsIs() {
        String out = format("(%(levelname)s) C:\\logs\\ {x} [%(message)s] (done)");
        assertThat(out).isEqualTo("(INFO) C:\\logs\\ {x} [hello world] (done)" + NL);
    }

    @Test
    void aMessageContainingPatternCharactersIsNotInterpreted() {
        assertThat(format("%(message)s", Level.INFO, "50% (of) %d{x} \\n")).isEqualTo("50% (of) %d{x} \\n" + NL);
    }

    @Test
    void aFormatWithoutAttributesIsAllLiteral() {
        assertThat(format("just text")).isEqualTo("just text" + NL);
        assertThat(format("")).isEqualTo(NL);
    }

    @ParameterizedTest(name = "%({0})")
    @CsvSource({
            "message, s, hello world",
            "levelname, s, INFO",
            "name, s, io.audiosockets.demo.Demo",
            "module, s, Demo",
            "threadName, s, capture-mic",
            "filename, s, Demo.java",
            "pathname, s, Demo.java",
            "funcName, s, run",
            "lineno, d, 42",
            "msecs, d, 123"})
    void everySupportedAttributePrintsItsValue(String attribute, String conversion, String expected) {
        assertThat(format("<%(" + attribute + ")" + conversion + ">")).isEqualTo("<" + expected + ">" + NL);
    }

    @Test
    void asctimePrintsPythonsDefaultDateFormat() {
        assertThat(format("<%(asctime)s>")).isEqualTo("<" + asctime() + ">" + NL);
    }

    @Test
    void createdPrintsTheEventTimeAsANumber() {
        assertThat(format("<%(created)f>")).as("created: the event time as a number").isEqualTo("<1709647629.123>" + NL);
    }

    @Test
    void relativeCreatedPrintsMilliseconds() {
        String relative = format("<%(relativeCreated)d>");
        assertThat(relative).as("relativeCreated: milliseconds since the logging context started").matches("<-?\\d+>" + NL);
    }

    @Test
    void everyDocumentedAttributeIsAccepted() {
        for (String attribute : new String[] {"asctime", "created", "message", "levelname", "levelno", "name", "module", "threadName",
                "thread", "filename", "pathname", "funcName", "lineno", "msecs", "relativeCreated"}) {
            String out = format("<%(" + attribute + ")s>");
            assertThat(out).as("output of %%(%s)s", attribute).startsWith("<").endsWith(">" + NL).isNotEqualTo("<>" + NL);
        }
    }

    @Test
    void anUnsupportedAttributeIsNamedAndTheSupportedOnesListed() {
        assertThatThrownBy(() -> PythonLogFormat.toLogbackPattern("%(asctime)s %(bogus)s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("%(bogus)")
                .hasMessageContaining("supported:")
                .hasMessageContaining("asctime").hasMessageContaining("levelname").hasMessageContaining("relativeCreated");
        assertThatThrownBy(() -> PythonLogFormat.toLogbackPattern("%(process)d")).hasMessageContaining("%(process)");
    }

    @Test
    void theDefaultFormatWorks() {
        String out = format(NetworkConfig.DEFAULT_LOGGING_FORMAT, Level.INFO, "started");
        assertThat(out).isEqualTo(asctime() + " INFO  [capture-mic] " + LOGGER + " - started" + NL);
    }

    @Test
    void lettersRightAfterAFieldStayLiteral() {
        assertThat(format("took %(lineno)dms")).isEqualTo("took 42ms" + NL);
        assertThat(format("%(levelname)sX")).isEqualTo("INFOX" + NL);
        assertThat(format("%(levelname)s{x}")).isEqualTo("INFO{x}" + NL);
    }

    @Test
    void levelnoIsANumber() {
        assertThat(format("%(levelno)d", Level.INFO, "x")).isEqualTo("20" + NL);
        assertThat(format("%(levelno)d", Level.WARN, "x")).isEqualTo("30" + NL);
    }

    @Test
    void levelNamesAreSpelledAsInPython() {
        assertThat(format("%(levelname)s", Level.WARN, "x")).isEqualTo("WARNING" + NL);
        assertThat(format("%(levelname)-8s|", Level.ERROR, "x")).isEqualTo("ERROR   |" + NL);
    }

    @Test
    void bracesInLiteralTextStayLiteral() {
        assertThat(format("{%(lineno)d}")).isEqualTo("{42}" + NL);
    }

    @Test
    void precisionTruncatesAsInPython() {
        assertThat(format("%(levelname).1s %(message).5s")).isEqualTo("I hello" + NL);
    }
}
