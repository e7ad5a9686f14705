package io.audiosockets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.ContentType;
import io.audiosockets.protocol.ResultRecord;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process vad} publishes what it finds as a result stream ({@code mic.vad}, PROTOCOL.md §9)
 * as well as printing it: a processor subscribed to {@code mic.vad} gets one JSON record per
 * printed boundary, in order, at the same samples and capture times; one that comes back under its
 * name gets the rest; {@code --no-publish} only prints.
 */
@Timeout(90)
class VadResultStreamTest {
    private static final Pattern LINE = Pattern.compile("^mic\\s+speech (start|end)\\s+at \\S+ \\(sample (\\d+)\\)");
    private static final Pattern RECORD = Pattern.compile("^\\{\"event\":\"speech_(start|end)\",\"sample\":(\\d+)\\}$");

    @RegisterExtension
    final Closer closer = new Closer();

    @TempDir
    Path dir;

    /** Collects the records of the result streams it subscribes to. */
    static final class Events extends BaseProcessor {
        final List<ResultRecord> records = new CopyOnWriteArrayList<>();

        Events(ProcessorOptions options) {
            super(options);
        }

        @Override
        protected void processData(AudioChunk chunk) {
            throw new AssertionError("subscribed to results only, got audio of " + chunk.stream());
        }

        @Override
        protected void processRecord(ResultRecord record) {
            records.add(record);
        }
    }

    /** 6 s of tone bursts (1 s off, 1 s on), read as fast as the mailman takes them, as stream "mic". */
    private Recorder bursts(NetworkConfig client) {
        StreamFormat f = new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE);
        return closer.track(new Recorder(new SyntheticSource(SyntheticSource.Waveform.BURSTS, 440, 0.5, f, false, 6 * 16_000L),
                RecorderOptions.builder().config(client).stream("mic").period(Duration.ofMillis(100)).build()));
    }

    @Test
    void theVadsEventsAreAResultStreamThatOtherProcessorsSubscribeTo() throws Exception {
        Mailman mailman = closer.track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        Events events = closer.track(new Events(ProcessorOptions.builder("events").config(client).subscribe("mic.vad").build()));
        events.startAsync();
        events.connected().join();
        try (CliProcess vad = CliProcess.start(dir, "process", "-p", "" + mailman.port(), "--stream", "mic", "vad")) {
            vad.awaitErr("processor 'vad'.*connected");
            bursts(client).start();
            // Bursts at 1..2 s, 3..4 s, 5..6 s: three starts, and the ends of the first two (the third ends with the audio).
            await().atMost(Duration.ofSeconds(30)).until(() -> vad.out().stream().filter(l -> LINE.matcher(l).find()).count() >= 5);
            await().atMost(Duration.ofSeconds(30)).until(() -> events.records.size() >= 5);

            List<String> printed = vad.out().stream().map(LINE::matcher).filter(Matcher::find)
                    .map(m -> m.group(1) + " " + m.group(2)).toList();
            List<String> published = events.records.stream().map(r -> {
                Matcher m = RECORD.matcher(r.text());
                assertThat(m.matches()).as("record %s", r.text()).isTrue();
                return m.group(1) + " " + m.group(2);
            }).toList();
            assertThat(published).containsExactlyElementsOf(printed.subList(0, published.size()));
            assertThat(printed.subList(0, 3)).containsExactly("start 16000", "end 32000", "start 48000");
            for (ResultRecord r : events.records) {
                assertThat(r.stream()).isEqualTo("mic.vad");
                assertThat(r.contentType()).isEqualTo(ContentType.JSON);
                assertThat(r.durationNanos()).isZero();
            }
            assertThat(events.records).extracting(ResultRecord::seq).containsExactly(0L, 1L, 2L, 3L, 4L);
            // The records carry the capture time of the boundary's sample: 1 s of audio apart for start 16000 and end 32000.
            assertThat(events.records.get(1).timeNanos() - events.records.get(0).timeNanos()).isEqualTo(1_000_000_000L);

            // print follows a result stream too: a line per record, from the first.
            try (CliProcess print = CliProcess.start(dir, "process", "-p", "" + mailman.port(), "--stream", "mic.vad", "--start",
                    "oldest", "print")) {
                print.awaitOut("^mic\\.vad\\s+#4\\s+\\S+ record JSON\\s+\\{\"event\":\"speech_start\",\"sample\":80000\\}");
                assertThat(print.out().get(0)).matches("^mic\\.vad\\s+#0\\s+\\S+ record JSON\\s+\\{\"event\":\"speech_start\",\"sample\":16000\\}$");
            }
        }
    }

    @Test
    void withNoPublishTheVadOnlyPrints() throws Exception {
        Mailman mailman = closer.track(new Mailman(TestConfigs.fast().build()).startAsync());
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        try (CliProcess vad = CliProcess.start(dir, "process", "-p", "" + mailman.port(), "--stream", "mic", "vad", "--no-publish")) {
            vad.awaitErr("processor 'vad'.*connected");
            bursts(client).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> vad.out().stream().filter(l -> LINE.matcher(l).find()).count() >= 3);
            assertThat(mailman.streams()).containsExactly("mic");
        }
    }
}
