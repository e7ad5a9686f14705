package io.audiosockets.mailman;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.internal.protocol.AudioMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.GapFrame;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.RecordMessage;
import io.audiosockets.internal.protocol.StreamFrame;
import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.ResultRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Stream frames as the mailman receives them, for the retention log's parts: encoded with
 * {@link FrameCodec} and decoded again, so each holds its own reference to real bytes and its
 * {@code refCnt()} shows whether a part released it.
 */
final class TestFrames {
    /** A 20 ms chunk: 320 frames of 16-bit mono at 16 kHz. */
    static final long CHUNK_NANOS = 20_000_000L;

    private TestFrames() {
    }

    /** Chunk {@code seq} of stream "mic": 20 ms of silence starting at {@code seq} x 20 ms. */
    static StreamFrame audio(long seq) {
        return audio(seq, new byte[640]);
    }

    /** Chunk {@code seq} of stream "mic" holding {@code samples} (16-bit mono at 16 kHz), starting at {@code seq} x 20 ms. */
    static StreamFrame audio(long seq, byte[] samples) {
        return decoded(new AudioMessage(new AudioChunk("mic", seq, seq * CHUNK_NANOS, 16_000, 1, SampleFormat.PCM_S16LE, samples)));
    }

    /** Record {@code seq} of stream "events", about {@code timeNanos} .. + {@code durationNanos}. */
    static StreamFrame record(long seq, long timeNanos, long durationNanos) {
        return decoded(new RecordMessage(ResultRecord.json("events", seq, timeNanos, durationNanos, "{}")));
    }

    /**
     * What a reader at {@code next} gets from {@code log} now, as text: "5" for chunk 5,
     * "10..13 RETENTION_EXCEEDED" for a gap. The chunks' duplicates are released.
     */
    static List<String> readItems(StreamLog log, long next) {
        List<Message> out = new ArrayList<>();
        log.read(next, 100, out);
        List<String> items = new ArrayList<>();
        for (Message m : out) {
            if (m instanceof GapFrame g) {
                Gap gap = g.gap();
                items.add(gap.fromSeq() + ".." + gap.toSeq() + " " + gap.reason());
            } else {
                StreamFrame f = (StreamFrame) m;
                items.add(String.valueOf(f.seq()));
                f.release();
            }
        }
        return items;
    }

    private static StreamFrame decoded(Message m) {
        ByteBuf bytes = Unpooled.buffer(FrameCodec.estimateSize(m));
        FrameCodec.encode(m, bytes);
        StreamFrame frame = (StreamFrame) FrameCodec.decode(bytes, Integer.MAX_VALUE);
        bytes.release(); // the frame holds its own reference
        return frame;
    }
}
