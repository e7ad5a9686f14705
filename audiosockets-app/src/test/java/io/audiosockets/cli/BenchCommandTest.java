package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.testkit.TestConfigs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audiosockets bench} as a user runs it: the table, the JSON, the exit status, the errors. */
class BenchCommandTest {
    @TempDir
    Path dir;

    /** The command run in this JVM, stdout and stderr captured. */
    private record Run(int status, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Run(status, out.toString(), err.toString());
        }
    }

    @Test
    void crashPrintsItsTableAndWritesAConsistentJsonReport() throws Exception {
        Path json = dir.resolve("crash.json");

        Run run = Run.of("bench", "crash", "--duration", "1", "--warmup", "0.3", "--json", json.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("recorder ACK, before the cut", "surviving processor, after", "no loss",
                "report written to " + json);
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("workload").asText()).isEqualTo("crash");
        assertThat(report.get("failures")).isEmpty();
        JsonNode result = report.get("results").get(0);
        assertThat(result.get("survivorLost").asLong()).isZero();
        assertThat(result.get("recorderLost").asLong()).isZero();
        JsonNode after = result.get("survivorAfter");
        assertThat(after.get("p50Ms").asDouble()).isLessThanOrEqualTo(after.get("p99Ms").asDouble());
        assertThat(after.get("p99Ms").asDouble()).isLessThanOrEqualTo(after.get("maxMs").asDouble());
        assertThat(report.get("machine").get("cores").asInt()).isPositive();
        assertThat(result.get("bench").get("rssMb").asDouble()).isPositive();
    }

    @Test
    void aMailmanInAnotherJvmIsDrivenAndItsResourcesReported() {
        Run run = Run.of("bench", "latency", "--fork", "--fork-jvm", "-Xmx256m", "--duration", "1", "--warmup", "0.3",
                "--processors", "2");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("mailman in a child JVM", "no loss").doesNotContain("FAILED");
    }

    @Test
    void aRunningMailmanIsDrivenWithConnect() {
        try (Mailman mailman = new Mailman(TestConfigs.fast().build()).startAsync()) {
            Run run = Run.of("bench", "latency", "--connect", "127.0.0.1:" + mailman.port(), "--duration", "1", "--warmup", "0.3",
                    "--processors", "1");

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("external mailman at 127.0.0.1:" + mailman.port(), "no loss");
            assertThat(mailman.stats().snapshot().chunksIn()).isPositive();
        }
    }

    @Test
    void badUsageExitsTwoAndNamesTheOption() {
        assertThat(Run.of("bench", "nonsense")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("WORKLOAD 'nonsense'");
        });
        assertThat(Run.of("bench", "latency", "--connect", "nowhere")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("--connect nowhere");
        });
        assertThat(Run.of("bench", "latency", "--connect", "127.0.0.1:5050", "--fork").status()).isEqualTo(2);
        assertThat(Run.of("bench", "latency", "--connect", "127.0.0.1:5050", "--watch")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("--watch");
        });
        assertThat(Run.of("bench", "latency", "--one-to-one", "--processors", "3").err()).contains("--one-to-one");
        assertThat(Run.of("bench", "fanout", "--chunk-samples", "8").err()).contains("--chunk-samples 8");
        assertThat(Run.of("bench", "fanout", "--duration", "0").err()).contains("--duration");
        assertThat(Run.of("bench", "kafka")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("the kafka workload needs a Kafka cluster: --kafka HOST:PORT");
        });
        assertThat(Run.of("bench", "latency", "--kafka", "127.0.0.1:9092")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("--kafka applies to the kafka workload only");
        });
        assertThat(Run.of("bench", "--help").out()).contains("fanout", "latency", "slow", "crash", "baseline", "idle", "kafka");
    }
}
