package io.audiosockets.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How much audio the dashboard reads of a stream per look: all of a real-time stream, and of one
 * far faster than real time (a load test, a file replayed) about the time since the last look,
 * not up to {@link StreamWatch#MAX_CHUNKS_PER_LOOK} chunks every tick (issue 18's cost goal).
 */
class StreamWatchTest {
    private static final long MS = 1_000_000L;

    private static List<AudioChunk> chunks(long fromSeq, int count, int samples) {
        List<AudioChunk> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] tone = new float[samples];
            for (int s = 0; s < samples; s++) {
                tone[s] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * s / 16_000.0));
            }
            out.add(AudioChunk.ofFloats("mic", fromSeq + i, 0, 16_000, 1, SampleFormat.FLOAT32LE, tone));
        }
        return out;
    }

    @Test
    void aStreamFirstSeenIsShownFromItsNewestFiveChunks() {
        assertThat(new StreamWatch("mic").chunksToRead(0)).isEqualTo(5);
    }

    @Test
    void readsTheAudioOfTheTimeSinceTheLastLookPlusATickAtMost() {
        StreamWatch w = new StreamWatch("mic");
        ObjectNode out = new ObjectMapper().createObjectNode();
        w.look(chunks(0, 5, 320), out, 1_000 * MS); // 20 ms chunks
        assertThat(out.get("columns").asInt()).isPositive();

        // One tick (100 ms) later: 100 ms + the 100 ms margin of 20 ms chunks = 10, not 100.
        assertThat(w.chunksToRead(1_100 * MS)).isEqualTo(10);
        // A late tick (a pause of 400 ms): a real-time stream is still read whole.
        assertThat(w.chunksToRead(1_400 * MS)).isEqualTo(25);
        // Long chunks (0.5 s): one per look.
        StreamWatch slow = new StreamWatch("mic");
        slow.look(chunks(0, 1, 8_000), new ObjectMapper().createObjectNode(), 0);
        assertThat(slow.chunksToRead(100 * MS)).isEqualTo(1);
        // Never more than the cap, however long since the last look.
        assertThat(w.chunksToRead(60_000 * MS)).isEqualTo(StreamWatch.MAX_CHUNKS_PER_LOOK);
    }
}
