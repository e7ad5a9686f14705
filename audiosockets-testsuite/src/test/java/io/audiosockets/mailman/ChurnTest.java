package io.audiosockets.mailman;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Processors come and go while a recorder streams; the rest carry on and the mailman logs each. */
class ChurnTest {
    private LogCapture logs;
    private Mailman mailman;
    private NetworkConfig client;
    private Recorder recorder;
    private CollectingProcessor steady;

    @BeforeEach
    void start() {
        logs = new LogCapture();
        mailman = new Mailman(TestConfigs.fast().build()).startAsync();
        client = TestConfigs.clientOf(mailman.config(), mailman.port());
        steady = new CollectingProcessor(ProcessorOptions.builder("steady").config(client).build());
        steady.startAsync();
        steady.connected().join();
        recorder = new Recorder(new SyntheticSource(SyntheticSource.Waveform.SINE, 440, 0.5,
                new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE), true, Long.MAX_VALUE),
                RecorderOptions.builder().config(client).stream("mic").period(Duration.ofMillis(20)).build());
        recorder.startAsync();
        await("streaming", () -> steady.chunks.size() >= 5);
    }

    @AfterEach
    void stop() {
        recorder.close();
        steady.close();
        mailman.close();
        logs.close();
    }

    private static Hello processorHello(String name) {
        return new Hello(Role.PROCESSOR.code(), name, 7, "", 16, StartPosition.LIVE, List.of(), Map.of());
    }

    private void assertSteadyUnbroken() {
        int before = steady.chunks.size();
        await("steady keeps receiving", () -> steady.chunks.size() >= before + 10);
        List<Long> seqs = steady.seqs("mic");
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo((long) i);
        }
        assertThat(steady.gaps).isEmpty();
    }

    @Test
    void joinMidStreamLeaveWithByeAndDropWithoutAWord() throws Exception {
        // Joins mid-stream with LIVE: starts at the next new chunk, in order.
        CollectingProcessor late = new CollectingProcessor(ProcessorOptions.builder("late").config(client)
                .start(StartPosition.LIVE).build());
        late.startAsync();
        late.connected().join();
        await("late receives", () -> late.chunks.size() >= 10);
        List<Long> lateSeqs = late.seqs("mic");
        assertThat(lateSeqs.get(0)).isGreaterThan(0L);
        for (int i = 1; i < lateSeqs.size(); i++) {
            assertThat(lateSeqs.get(i)).isEqualTo(lateSeqs.get(i - 1) + 1);
        }
        assertThat(logs.has("processor 'late'", "registered")).isTrue();

        // Leaves with BYE.
        late.close();
        await("'late' unregistered", () -> !mailman.processors().contains("late"));
        await("BYE logged", () -> logs.has("processor 'late'", "disconnected (BYE)"));

        // Drops without a word: the socket is reset under it.
        try (RawClient rude = new RawClient(mailman.port())) {
            rude.send(processorHello("rude"));
            assertThat(rude.read()).isInstanceOf(Welcome.class);
            Message m = rude.read();
            assertThat(m).isInstanceOf(AudioFrame.class);
            ((AudioFrame) m).release();
        }
        await("'rude' unregistered", () -> !mailman.processors().contains("rude"));
        await("drop logged", () -> logs.has("processor 'rude'", "disconnected", "without BYE")
                || logs.has("processor 'rude'", "disconnected (connection lost"));

        assertSteadyUnbroken();
        assertThat(mailman.processors()).containsExactly("steady");
    }

    @Test
    void byeIsAnsweredBeforeTheCloseAndUnregisters() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(processorHello("polite"));
            assertThat(c.read()).isInstanceOf(Welcome.class);
            assertThat(mailman.processors()).contains("polite");
            c.send(new Bye("DISCONNECT"));
            Message m;
            do {
                m = c.read();
                if (m instanceof AudioFrame f) {
                    f.release(); // audio written before the BYE arrived
                }
            } while (m instanceof AudioFrame);
            assertThat(m).isEqualTo(new Bye("DISCONNECT"));
            assertThat(c.closedByPeer()).isTrue();
        }
        await("'polite' unregistered", () -> !mailman.processors().contains("polite"));
        assertSteadyUnbroken();
    }

    @Test
    void byeWithTheWrongDisconnectMessageIsAnError() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(processorHello("confused"));
            assertThat(c.read()).isInstanceOf(Welcome.class);
            c.send(new Bye("GOODBYE"));
            Message m;
            do {
                m = c.read();
                if (m instanceof AudioFrame f) {
                    f.release();
                }
            } while (m instanceof AudioFrame);
            assertThat(m).isInstanceOf(ErrorMessage.class);
            assertThat(((ErrorMessage) m).code()).isEqualTo(ErrorCode.BAD_DISCONNECT_MSG);
            assertThat(((ErrorMessage) m).message()).contains("'GOODBYE'").contains("'DISCONNECT'");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertSteadyUnbroken();
    }

    @Test
    void processorThatReconnectsUnderItsNameResumesWhereItLeftOff() throws Exception {
        long lastSeen;
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(processorHello("resumer"));
            assertThat(c.read()).isInstanceOf(Welcome.class);
            AudioFrame first = (AudioFrame) c.read();
            lastSeen = first.seq();
            first.release();
            c.send(new io.audiosockets.internal.protocol.Ack("mic", lastSeen));
            // wait until the mailman has the ACK: the next frames keep coming; then vanish without BYE
            AudioFrame next = (AudioFrame) c.read();
            next.release();
        }
        await("'resumer' unregistered", () -> !mailman.processors().contains("resumer"));
        CollectingProcessor back = new CollectingProcessor(ProcessorOptions.builder("resumer").config(client).build());
        back.startAsync();
        try {
            await("resumed", () -> !back.chunks.isEmpty());
            // Everything after the acknowledged chunk, starting with the one sent but never acknowledged.
            assertThat(back.chunks.get(0).seq()).isEqualTo(lastSeen + 1);
            await("a redelivery counted", () -> back.redeliveries() >= 1);
        } finally {
            back.close();
        }
    }
}
