package io.audiosockets.cli;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.TestMixerProvider;
import io.audiosockets.testkit.TestSignal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devices}, {@code record --list-devices} and {@code record --source mic}, against the test
 * sound card the core's test jar registers with AudioSystem (and without any device at all).
 */
class MicrophoneCommandsTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @AfterEach
    void restoreDevices() {
        TestMixerProvider.setPresent(true);
    }

    @Test
    void devicesListsEveryInputDeviceWithNumberNameDescriptionAndFormats() {
        for (String[] args : new String[][] {{"devices"}, {"record", "--list-devices"}}) {
            CliRun r = run(args);
            assertThat(r.status()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).contains("0  Test Microphone  (default)", "test capture device: every PCM format, any rate",
                    "s16le, 1 ch, any rate", "s24be, 2 ch, any rate", "u8, 2 ch, any rate",
                    "1  Test USB Headset", "s16le, 2 ch, 44100 Hz");
            assertThat(r.out()).as("playback devices are not input devices").doesNotContain("Speakers");
        }
    }

    @Test
    void withoutAnyDeviceDevicesSaysSoAndRecordFromTheMicIsAUsageErrorThatSuggestsOtherSources() {
        TestMixerProvider.setPresent(false);
        CliRun devices = run("devices");
        assertThat(devices.status()).isZero();
        assertThat(devices.out()).isEqualTo("no input devices" + System.lineSeparator());
        assertThat(devices.err()).contains("--source synth", "--source wav:PATH");

        CliRun record = run("record", "--source", "mic", "-p", "1");
        assertThat(record.status()).isEqualTo(2);
        assertThat(record.err()).contains("audiosockets record: --source mic: no audio input device on this machine",
                "use --source synth or --source wav:PATH instead");
    }

    @Test
    void aWrongDeviceOrAFormatTheDeviceCannotGiveIsAUsageErrorNamingWhatThereIs() {
        CliRun index = run("record", "--source", "mic", "--device", "5", "-p", "1");
        assertThat(index.status()).isEqualTo(2);
        assertThat(index.err()).contains("--device 5", "no input device 5", "0 'Test Microphone'", "1 'Test USB Headset'");

        CliRun name = run("record", "--source", "mic", "--device", "webcam", "-p", "1");
        assertThat(name.status()).isEqualTo(2);
        assertThat(name.err()).contains("--device webcam", "no input device's name contains it");

        CliRun rate = run("record", "--source", "mic", "--device", "headset", "--samplerate", "16000", "-p", "1");
        assertThat(rate.status()).isEqualTo(2);
        assertThat(rate.err()).contains("cannot capture 16000 Hz, 1 ch", "it offers: s16le, 1 ch, 48000 Hz; s16le, 2 ch, 48000 Hz");

        CliRun notMic = run("record", "--source", "synth", "--device", "1", "-p", "1");
        assertThat(notMic.status()).isEqualTo(2);
        assertThat(notMic.err()).contains("--device 1: only for --source mic");
    }

    @Test
    void recordFromTheMicStreamsTheDeviceDefaultRateAndTheChannelsAskedForSampleExact() throws Exception {
        try (Mailman mailman = new Mailman(TestConfigs.fast().build()).startAsync()) {
            NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
            try (CollectingProcessor p = new CollectingProcessor(ProcessorOptions.builder("p").config(client).build())) {
                p.startAsync();
                p.connected().join();
                // The headset has no 16 kHz: its default is 48 kHz; the 2 channels asked for are honoured.
                CliRun r = run("record", "--source", "mic", "--device", "usb", "--channels", "2", "--period", "0.05",
                        "--seconds", "0.5", "-p", "" + mailman.port(), "--stream", "usb");
                assertThat(r.status()).as(r.err()).isZero();
                await("every chunk", () -> p.chunks.stream().mapToInt(AudioChunk::frames).sum() == 24_000);
                long frame = 0;
                for (AudioChunk c : p.chunks) {
                    assertThat(c.sampleRate()).isEqualTo(48_000);
                    assertThat(c.channels()).isEqualTo(2);
                    assertThat(c.format()).isEqualTo(SampleFormat.PCM_S16LE);
                    assertThat(c.frames()).isEqualTo(2_400);
                    ByteBuffer b = ByteBuffer.wrap(c.data()).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < c.frames(); i++, frame++) {
                        assertThat(b.getShort()).isEqualTo((short) TestSignal.sample(frame, 0, 16));
                        assertThat(b.getShort()).isEqualTo((short) TestSignal.sample(frame, 1, 16));
                    }
                }
                assertThat(TestMixerProvider.HEADSET.lastLine().isOpen()).isFalse();

                // An explicit rate is honoured on the default device.
                p.chunks.clear();
                CliRun r8k = run("record", "--source", "mic", "--samplerate", "8000", "--period", "0.1", "--seconds", "0.3",
                        "-p", "" + mailman.port(), "--stream", "eight");
                assertThat(r8k.status()).as(r8k.err()).isZero();
                await("every chunk", () -> p.chunks.stream().mapToInt(AudioChunk::frames).sum() == 2_400);
                assertThat(p.chunks).allSatisfy(c -> {
                    assertThat(c.stream()).isEqualTo("eight");
                    assertThat(c.sampleRate()).isEqualTo(8_000);
                    assertThat(c.channels()).isEqualTo(1);
                });
            }
        }
    }

    @Test
    void ctrlCFlushesTheChunkInProgressSaysByeAndExits() throws Exception {
        try (LogCapture logs = new LogCapture(); Mailman mailman = new Mailman(TestConfigs.fast().build()).startAsync()) {
            NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
            try (CollectingProcessor p = new CollectingProcessor(ProcessorOptions.builder("p").config(client).build());
                 CliProcess record = CliProcess.start(dir, "record", "--source", "mic", "--period", "1", "-p", "" + mailman.port())) {
                p.startAsync();
                p.connected().join();
                record.awaitErr("connected to");
                await("two whole chunks", () -> p.chunks.size() >= 2);
                assertThat(record.stop()).as("exit status after SIGTERM; stderr %s", record.err()).isEqualTo(143);
                await("the chunk in progress", () -> p.chunks.size() >= 3);
                AudioChunk last = p.chunks.get(p.chunks.size() - 1);
                assertThat(last.frames()).as("a partial chunk, flushed").isLessThan(16_000);
                assertThat(last.captureTimeNanos() - p.chunks.get(p.chunks.size() - 2).captureTimeNanos()).isEqualTo(1_000_000_000L);
                await("the mailman hears BYE", () -> logs.has("recorder of stream 'default'", "disconnected (BYE)"));
            }
        }
    }
}
