package io.audiosockets.mailman;

import static io.audiosockets.testkit.CollectingProcessor.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.AudioMessage;
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
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Misbehaving clients each get a precise ERROR and a close, while a recorder keeps streaming to a
 * processor that misses nothing.
 */
class BadInputTest {
    private Mailman mailman;
    private Recorder recorder;
    private CollectingProcessor processor;

    @BeforeEach
    void startStreaming() {
        mailman = new Mailman(TestConfigs.fast().maxFrameBytes(64 * 1024).handshakeTimeout(Duration.ofMillis(500)).build()).startAsync();
        NetworkConfig client = TestConfigs.clientOf(mailman.config(), mailman.port());
        processor = new CollectingProcessor(ProcessorOptions.builder("victim").config(client).build());
        processor.startAsync();
        processor.connected().join();
        recorder = new Recorder(new SyntheticSource(SyntheticSource.Waveform.SINE, 440, 0.5,
                new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE), true, Long.MAX_VALUE),
                RecorderOptions.builder().config(client).stream("live").period(Duration.ofMillis(20)).build());
        recorder.startAsync();
        await("streaming started", () -> processor.chunks.size() >= 5);
    }

    @AfterEach
    void stop() {
        recorder.close();
        processor.close();
        mailman.close();
    }

    private ErrorMessage expectError(RawClient c, ErrorCode code) throws Exception {
        Message m = c.read();
        assertThat(m).isInstanceOf(ErrorMessage.class);
        ErrorMessage e = (ErrorMessage) m;
        assertThat(e.code()).isEqualTo(code);
        assertThat(c.closedByPeer()).as("connection closed after %s", code).isTrue();
        return e;
    }

    /** The processor keeps receiving, in order, without gaps, after the offender is gone. */
    private void assertProcessorUnharmed() {
        int before = processor.chunks.size();
        await("processor still receiving", () -> processor.chunks.size() >= before + 5);
        List<Long> seqs = processor.seqs("live");
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
        }
        assertThat(processor.gaps).isEmpty();
    }

    private static Hello hello(int role, String name) {
        return new Hello(role, name, 42, "", 8, StartPosition.LIVE, List.of(), Map.of());
    }

    @Test
    void unknownRoleIsNotANode() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(hello(7, "intruder"));
            assertThat(expectError(c, ErrorCode.UNKNOWN_ROLE).message()).contains("not a node").contains("role code 7");
        }
        assertProcessorUnharmed();
    }

    @Test
    void garbageBytesAreRefusedAtTheFirstByte() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(expectError(c, ErrorCode.MALFORMED_FRAME).message()).contains("bad magic");
        }
        assertProcessorUnharmed();
    }

    @Test
    void wrongVersionIsRefused() throws Exception {
        byte[] frame = RawClient.encode(hello(Role.PROCESSOR.code(), "v2"));
        frame[2] = 9;
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(frame);
            assertThat(expectError(c, ErrorCode.UNSUPPORTED_VERSION).message()).contains("version 9");
        }
        assertProcessorUnharmed();
    }

    @Test
    void oversizedLengthIsRefusedBeforeAnythingIsAllocated() throws Exception {
        Runtime rt = Runtime.getRuntime();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < 20; i++) {
            try (RawClient c = new RawClient(mailman.port())) {
                // Announce 2 GiB - 1 and send only the header: the mailman must answer without waiting or allocating.
                c.send(new byte[] {0x41, 0x53, 1, 4, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                assertThat(expectError(c, ErrorCode.FRAME_TOO_LARGE).message()).contains("2147483647").contains("65536");
            }
        }
        long usedAfter = rt.totalMemory() - rt.freeMemory();
        // 20 claims of 2 GiB each: had any been allocated, the heap (max 1 GiB) could not hold it.
        assertThat(usedAfter - usedBefore).isLessThan(256L * 1024 * 1024);
        assertProcessorUnharmed();
    }

    @Test
    void frameBeforeHelloIsRefused() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(new Ack("live", 3));
            assertThat(expectError(c, ErrorCode.HANDSHAKE_REQUIRED).message()).contains("first frame must be HELLO");
        }
        assertProcessorUnharmed();
    }

    @Test
    void silentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            assertThat(expectError(c, ErrorCode.HANDSHAKE_TIMEOUT).message()).contains("HANDSHAKE_TIMEOUT_SECONDS");
        }
        assertProcessorUnharmed();
    }

    @Test
    void invalidNameIsRefused() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(hello(Role.RECORDER.code(), "no spaces please"));
            assertThat(expectError(c, ErrorCode.INVALID_NAME).message()).contains("'no spaces please'");
        }
        assertProcessorUnharmed();
    }

    @Test
    void truncatedAudioPayloadIsMalformed() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(hello(Role.RECORDER.code(), "liar"));
            assertThat(c.read()).isInstanceOf(Welcome.class);
            byte[] frame = RawClient.encode(new AudioMessage(AudioChunk.ofFloats("liar", 0, 0, 16_000, 1, SampleFormat.FLOAT32LE, new float[10])));
            // Claim 11 frames while carrying 10.
            frame[frame.length - 40 - 1] = 11;
            c.send(frame);
            assertThat(expectError(c, ErrorCode.MALFORMED_FRAME).message()).contains("announces 11 frames");
        }
        assertProcessorUnharmed();
    }

    @Test
    void processorSendingAudioIsRefused() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(hello(Role.PROCESSOR.code(), "sneaky"));
            assertThat(c.read()).isInstanceOf(Welcome.class);
            c.send(new AudioMessage(AudioChunk.ofFloats("live", 1_000_000, 0, 16_000, 1, SampleFormat.FLOAT32LE, new float[4])));
            Message m;
            do {
                m = c.read(); // live audio may come first
            } while (!(m instanceof ErrorMessage));
            assertThat(((ErrorMessage) m).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
        }
        assertProcessorUnharmed();
        assertThat(processor.seqs("live")).doesNotContain(1_000_000L);
    }

    @Test
    void secondRecorderClaimingALiveStreamIsRefused() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(hello(Role.RECORDER.code(), "live"));
            assertThat(expectError(c, ErrorCode.NAME_IN_USE).message()).contains("stream 'live' is in use");
        }
        assertProcessorUnharmed();
    }

    @Test
    void secondProcessorWithALiveNameIsRefused() throws Exception {
        try (RawClient c = new RawClient(mailman.port())) {
            c.send(hello(Role.PROCESSOR.code(), "victim"));
            assertThat(expectError(c, ErrorCode.NAME_IN_USE).message()).contains("processor name 'victim' is in use");
        }
        assertProcessorUnharmed();
        assertThat(mailman.processors()).containsExactly("victim");
    }
}
