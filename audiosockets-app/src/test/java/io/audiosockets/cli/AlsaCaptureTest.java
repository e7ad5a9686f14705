package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ALSA capture path, with no test device in between: libasound's own {@code file}
 * plugin feeds a raw PCM file to the {@code default} capture device, which the JDK's
 * {@code javax.sound} lists and opens as it would a microphone. {@code record --source mic} runs
 * in its own JVM (the plugin is chosen by that JVM's environment) and a processor behind a real
 * mailman must receive the file's samples bit for bit.
 */
class AlsaCaptureTest {
    private static final int RATE = 16_000;

    @TempDir
    Path dir;

    @Test
    void aRecordingFromAlsasDefaultCaptureDeviceArrivesBitExact() throws Exception {
        // 2 s of 16-bit little-endian mono: a tone plus a ramp, so a shifted or dropped frame shows.
        ByteBuffer raw = ByteBuffer.allocate(2 * RATE * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2 * RATE; i++) {
            raw.putShort((short) (Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / RATE)) + i % 97));
        }
        Path input = dir.resolve("input.raw");
        Files.write(input, raw.array());
        Path conf = dir.resolve("asound-file.conf");
        Files.writeString(conf, "pcm.!default {\n  type file\n  slave.pcm \"null\"\n  file \"/dev/null\"\n  format \"raw\"\n"
                + "  infile \"" + input + "\"\n}\n");
        Map<String, String> alsa = Map.of("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:" + conf);

        NetworkConfig config = NetworkConfig.builder().server("127.0.0.1").port(0).build();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Mailman mailman = new Mailman(config).startAsync()) {
            NetworkConfig clients = config.toBuilder().port(mailman.port()).build();
            try (BaseProcessor collector = BaseProcessor.of(ProcessorOptions.builder("alsa-check").config(clients).build(), chunk -> {
                assertThat(chunk.sampleRate()).isEqualTo(RATE);
                synchronized (received) {
                    received.write(chunk.data());
                }
            }).startAsync()) {
                collector.connected().get(10, TimeUnit.SECONDS);

                try (CliProcess devices = CliProcess.start(dir, alsa, "devices")) {
                    assertThat(devices.awaitExit()).isZero();
                    assertThat(devices.out()).as("the ALSA default device, listed through javax.sound")
                            .anyMatch(l -> l.contains("[default]"));
                }
                try (CliProcess record = CliProcess.start(dir, alsa, "record", "--host", "127.0.0.1", "-p", "" + mailman.port(),
                        "--source", "mic", "--device", "[default]", "--samplerate", "" + RATE, "--channels", "1",
                        "--sample-format", "s16", "--seconds", "1.5", "--period", "0.1")) {
                    assertThat(record.awaitExit()).as("record exit status; stderr %s", record.err()).isZero();
                }
                int expected = 3 * RATE / 2 * 2;
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    synchronized (received) {
                        return received.size() >= expected;
                    }
                });
                byte[] got;
                synchronized (received) {
                    got = received.toByteArray();
                }
                assertThat(got.length).isEqualTo(expected);
                assertThat(Arrays.equals(got, Arrays.copyOf(raw.array(), expected))).as("samples identical to the file's").isTrue();
            }
        }
    }
}
