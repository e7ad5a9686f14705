package io.audiosockets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's library code and these examples are the same text, so neither can drift: every
 * example (less its package line) is a {@code java} block of the README word for word, and every
 * complete program in the README is one of the examples, so it compiles against the public API.
 */
class ReadmeExamplesTest {
    private static final String PACKAGE_LINE = "package io.audiosockets.examples;\n\n";
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    private static String readme;
    private static List<String> blocks;
    private static Map<String, String> examples;

    @BeforeAll
    static void read() throws IOException {
        readme = Files.readString(Path.of(System.getProperty("examples.readme")));
        blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        examples = new TreeMap<>();
        Path dir = Path.of(System.getProperty("examples.sources"), "io", "audiosockets", "examples");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                assertThat(text).as(f + " starts with its package line and a blank line").startsWith(PACKAGE_LINE);
                examples.put(f.getFileName().toString(), text.substring(PACKAGE_LINE.length()));
            }
        }
        assertThat(examples).as("examples in " + dir).containsKeys("LMSProcessor.java", "Meter.java", "Counter.java", "SineRecorder.java");
    }

    @Test
    void everyExampleIsAJavaBlockOfTheReadmeWordForWord() {
        examples.forEach((file, text) -> assertThat(blocks)
                .as("README.md must show examples/src/main/java/io/audiosockets/examples/" + file
                        + " (less its package line) as a ```java block, character for character")
                .contains(text));
    }

    @Test
    void everyProgramInTheReadmeIsAnExample() {
        List<String> programs = blocks.stream().filter(b -> b.contains("public static void main")).toList();
        assertThat(programs).as("complete programs in README.md").hasSizeGreaterThanOrEqualTo(examples.size());
        for (String program : programs) {
            assertThat(examples.values()).as("README.md program not in examples/ (add it there so it is compiled and run):\n" + program)
                    .contains(program);
        }
    }

    @Test
    void theReadmeGivesTheCoordinatesOfThisVersion() {
        String version = System.getProperty("examples.version");
        for (String artifact : List.of("audiosockets-core", "audiosockets-dsp")) {
            assertThat(readme).as("README.md's pom snippet for " + artifact + " at version " + version)
                    .contains("<groupId>io.audiosockets</groupId>\n    <artifactId>" + artifact + "</artifactId>\n    <version>"
                            + version + "</version>");
        }
        assertThat(readme).contains("mvn -B install -DskipTests");
    }
}
