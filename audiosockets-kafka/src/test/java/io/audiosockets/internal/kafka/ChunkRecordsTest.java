package io.audiosockets.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A chunk's record: its timestamp is the capture time, but never ahead of the clock (a broker
 * refuses a future timestamp for good, which stalled a bridge behind a source read faster than real
 * time); the exact capture time stays in the header.
 */
class ChunkRecordsTest {
    private static final long NOW_MS = 1_800_000_000_000L;

    @Test
    void aCaptureTimeInThePastIsTheTimestamp() {
        AudioChunk chunk = chunk((NOW_MS - 5_000) * 1_000_000L + 123_456);
        ProducerRecord<byte[], byte[]> r = ChunkRecords.toRecord("t", chunk, NOW_MS);
        assertThat(r.timestamp()).isEqualTo(NOW_MS - 5_000);
        assertThat(captureHeader(r)).isEqualTo(chunk.captureTimeNanos());
    }

    @Test
    void aCaptureTimeAheadOfTheClockIsClampedToNowButKeptInTheHeader() {
        long ahead = (NOW_MS + 90_000) * 1_000_000L; // a file read 90 s ahead of real time
        AudioChunk chunk = chunk(ahead);
        ProducerRecord<byte[], byte[]> r = ChunkRecords.toRecord("t", chunk, NOW_MS);
        assertThat(r.timestamp()).isEqualTo(NOW_MS);
        assertThat(captureHeader(r)).isEqualTo(ahead);
    }

    private static AudioChunk chunk(long captureNanos) {
        return AudioChunk.ofFloats("mic", 7, captureNanos, 16_000, 1, SampleFormat.FLOAT32LE, new float[160]);
    }

    private static long captureHeader(ProducerRecord<byte[], byte[]> r) {
        return ByteBuffer.wrap(r.headers().lastHeader(ChunkRecords.CAPTURE_NANOS).value()).getLong();
    }
}
