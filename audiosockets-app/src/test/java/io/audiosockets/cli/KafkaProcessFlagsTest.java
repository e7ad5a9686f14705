package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code process --kafka}'s flags: the ones that mean nothing to a consumer group are refused by
 * name rather than ignored, and the group's flags are refused without --kafka. (The runner itself
 * is proven against a real broker by audiosockets-kafka's ConsumerGroupTest.)
 */
class KafkaProcessFlagsTest {
    @Test
    void theHelpNamesTheKafkaFlags() {
        assertThat(CliRun.run("process", "--help").out()).contains("--kafka", "--group", "--topic");
    }

    @Test
    void streamAndWindowAreRefusedWithKafka() {
        CliRun r = CliRun.run("process", "--kafka", "127.0.0.1:1", "--stream", "mic", "print");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("--stream does not apply to --kafka");
        r = CliRun.run("process", "--kafka", "127.0.0.1:1", "--window", "4", "level");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("--window does not apply to --kafka");
    }

    @Test
    void groupAndTopicNeedKafka() {
        CliRun r = CliRun.run("process", "--group", "g", "print");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("--group and --topic apply to --kafka only");
    }
}
