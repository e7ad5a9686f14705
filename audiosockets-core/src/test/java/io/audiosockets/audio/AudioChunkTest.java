package io.audiosockets.audio;

import io.audiosockets.internal.audio.ChunkBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link AudioChunk}: immutability, validation, value semantics and the sample views. */
class AudioChunkTest {
    private static final long T0 = 1_700_000_000_123_456_789L;

    private static byte[] pcm16(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    private static AudioChunk mono(byte[] data) {
        return new AudioChunk("mic", 3, T0, 16_000, 1, SampleFormat.PCM_S16LE, data);
    }

    @Test
    void theConstructorCopiesTheArray() {
        byte[] data = pcm16(1, 2, 3);
        AudioChunk c = mono(data);
        data[0] = 99;
        assertThat(c.data()).as("chunk after the caller changed its array").isEqualTo(pcm16(1, 2, 3));
    }

    @Test
    void dataReturnsACopy() {
        AudioChunk c = mono(pcm16(1, 2, 3));
        byte[] out = c.data();
        out[0] = 99;
        assertThat(c.data()).as("chunk after the caller changed what data() returned").isEqualTo(pcm16(1, 2, 3));
        assertThat(c.data()).as("each call returns a new array").isNotSameAs(c.data());
    }

    @Test
    void wrapDoesNotCopy() {
        byte[] data = pcm16(1, 2, 3);
        AudioChunk c = ChunkBytes.wrap("mic", 0, T0, 16_000, 1, SampleFormat.PCM_S16LE, data);
        assertThat(ChunkBytes.bytes(c)).as("wrap keeps the caller's array").isSameAs(data);
        data[0] = 7; // the contract forbids this; it shows that nothing was copied
        assertThat(c.data()[0]).isEqualTo((byte) 7);
    }

    @Test
    void withSeqSharesTheSamplesAndChangesOnlyTheSeq() {
        AudioChunk c = mono(pcm16(5, 6));
        AudioChunk d = c.withSeq(10);
        assertThat(d.seq()).isEqualTo(10);
        assertThat(c.seq()).isEqualTo(3);
        assertThat(ChunkBytes.bytes(d)).isSameAs(ChunkBytes.bytes(c));
        assertThat(d).isEqualTo(new AudioChunk("mic", 10, T0, 16_000, 1, SampleFormat.PCM_S16LE, pcm16(5, 6)));
        assertThatThrownBy(() -> c.withSeq(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
    }

    @Test
    void everyFieldIsValidatedByName() {
        byte[] ok = pcm16(0, 0);
        assertThatThrownBy(() -> new AudioChunk("mic", -1, T0, 16_000, 1, SampleFormat.PCM_S16LE, ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("seq : -1 (expected: >= 0)");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, 0, 1, SampleFormat.PCM_S16LE, ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sampleRate : 0 (expected: > 0)");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, -8000, 1, SampleFormat.PCM_S16LE, ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate : -8000");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, 16_000, 0, SampleFormat.PCM_S16LE, ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("channels : 0 (expected: 1..65535)");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, 16_000, 65_536, SampleFormat.PCM_S16LE, ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels : 65536");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, 16_000, 1, SampleFormat.PCM_S16LE, new byte[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data length : 3").hasMessageContaining("multiple of 2");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, 16_000, 2, SampleFormat.FLOAT32LE, new byte[12]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data length : 12").hasMessageContaining("multiple of 8").hasMessageContaining("2 x FLOAT32LE");
        assertThatThrownBy(() -> new AudioChunk(null, 0, T0, 16_000, 1, SampleFormat.PCM_S16LE, ok))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("stream");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, 16_000, 1, null, ok))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> new AudioChunk("mic", 0, T0, 16_000, 1, SampleFormat.PCM_S16LE, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("data");
        assertThatThrownBy(() -> ChunkBytes.wrap("mic", 0, T0, 16_000, 3, SampleFormat.PCM_S16LE, new byte[4]))
                .as("wrap validates too").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data length : 4");
    }

    @Test
    void anEmptyChunkAndTheExtremesAreValid() {
        AudioChunk empty = new AudioChunk("s", Long.MAX_VALUE, -1, 1, 65_535, SampleFormat.FLOAT32LE, new byte[0]);
        assertThat(empty.frames()).isZero();
        assertThat(empty.durationNanos()).isZero();
        assertThat(empty.samples()).isEmpty();
    }

    @Test
    void equalsAndHashCodeCompareTheSamplesByContent() {
        AudioChunk a = mono(pcm16(1, 2, 3));
        AudioChunk b = mono(pcm16(1, 2, 3));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(mono(pcm16(1, 2, 4)));
        assertThat(a).isNotEqualTo(new AudioChunk("mic2", 3, T0, 16_000, 1, SampleFormat.PCM_S16LE, pcm16(1, 2, 3)));
        assertThat(a).isNotEqualTo(new AudioChunk("mic", 4, T0, 16_000, 1, SampleFormat.PCM_S16LE, pcm16(1, 2, 3)));
        assertThat(a).isNotEqualTo(new AudioChunk("mic", 3, T0 + 1, 16_000, 1, SampleFormat.PCM_S16LE, pcm16(1, 2, 3)));
        assertThat(a).isNotEqualTo(new AudioChunk("mic", 3, T0, 8_000, 1, SampleFormat.PCM_S16LE, pcm16(1, 2, 3)));
        byte[] six = pcm16(1, 2, 3, 4, 5, 6);
        assertThat(new AudioChunk("mic", 3, T0, 16_000, 1, SampleFormat.PCM_S16LE, six))
                .as("same bytes, different channel count").isNotEqualTo(new AudioChunk("mic", 3, T0, 16_000, 2, SampleFormat.PCM_S16LE, six));
        byte[] four = new byte[8];
        assertThat(new AudioChunk("mic", 3, T0, 16_000, 1, SampleFormat.PCM_S16LE, four))
                .as("same bytes, different format").isNotEqualTo(new AudioChunk("mic", 3, T0, 16_000, 1, SampleFormat.FLOAT32LE, four));
        assertThat(a).isNotEqualTo(null).isNotEqualTo("mic");
    }

    @Test
    void toStringDescribesTheShapeButNeverTheSamples() {
        byte[] big = new byte[48_000 * 2 * 4];
        java.util.Arrays.fill(big, (byte) 0x41);
        AudioChunk c = new AudioChunk("studio", 42, T0, 48_000, 2, SampleFormat.FLOAT32LE, big);
        String s = c.toString();
        assertThat(s).contains("studio").contains("seq=42").contains("48000 frames").contains("2 ch").contains("48000 Hz")
                .contains("FLOAT32LE").contains(Instant.ofEpochSecond(0, T0).toString());
        assertThat(s.length()).as("toString length of a 1 s stereo chunk: %s", s).isLessThan(200);
        assertThat(s).doesNotContain("AAAA").doesNotContain("[");
    }

    @Test
    void framesAndDuration() {
        AudioChunk s16 = new AudioChunk("m", 0, T0, 16_000, 1, SampleFormat.PCM_S16LE, new byte[320 * 2]);
        assertThat(s16.frames()).isEqualTo(320);
        assertThat(s16.durationNanos()).as("320 frames at 16 kHz").isEqualTo(20_000_000L);
        AudioChunk f32 = new AudioChunk("m", 0, T0, 48_000, 2, SampleFormat.FLOAT32LE, new byte[480 * 2 * 4]);
        assertThat(f32.frames()).isEqualTo(480);
        assertThat(f32.durationNanos()).as("480 stereo frames at 48 kHz").isEqualTo(10_000_000L);
        AudioChunk odd = new AudioChunk("m", 0, T0, 44_100, 1, SampleFormat.PCM_S16LE, new byte[441 * 2]);
        assertThat(odd.durationNanos()).isEqualTo(10_000_000L);
        AudioChunk third = new AudioChunk("m", 0, T0, 3, 1, SampleFormat.PCM_S16LE, new byte[2]);
        assertThat(third.durationNanos()).as("1 frame at 3 Hz, truncated to whole ns").isEqualTo(333_333_333L);
    }

    @Test
    void captureTimeIsTheNanosecondInstant() {
        assertThat(mono(new byte[0]).captureTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L));
        assertThat(mono(new byte[0]).captureTimeNanos()).isEqualTo(T0);
    }

    @Test
    void channelDeinterleavesStereo() {
        // Left = i * 1000, right = -(i * 1000) - 1.
        int frames = 8;
        int[] interleaved = new int[frames * 2];
        for (int i = 0; i < frames; i++) {
            interleaved[2 * i] = i * 1000;
            interleaved[2 * i + 1] = -(i * 1000) - 1;
        }
        AudioChunk c = new AudioChunk("st", 0, T0, 16_000, 2, SampleFormat.PCM_S16LE, pcm16(interleaved));
        float[] left = c.channel(0);
        float[] right = c.channel(1);
        assertThat(left).hasSize(frames);
        assertThat(right).hasSize(frames);
        for (int i = 0; i < frames; i++) {
            assertThat(left[i]).as("left sample %d", i).isEqualTo(i * 1000 / 32768f);
            assertThat(right[i]).as("right sample %d", i).isEqualTo((-(i * 1000) - 1) / 32768f);
        }
        float[] all = c.samples();
        for (int i = 0; i < frames; i++) {
            assertThat(all[2 * i]).isEqualTo(left[i]);
            assertThat(all[2 * i + 1]).isEqualTo(right[i]);
        }
        assertThatThrownBy(() -> c.channel(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.channel(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void channelDeinterleavesFloatStereo() {
        float[] interleaved = {0.5f, -0.25f, 1.5f, Float.MIN_VALUE, -1f, 0f};
        AudioChunk c = AudioChunk.ofFloats("st", 0, T0, 8_000, 2, SampleFormat.FLOAT32LE, interleaved);
        assertThat(c.channel(0)).containsExactly(0.5f, 1.5f, -1f);
        assertThat(c.channel(1)).containsExactly(-0.25f, Float.MIN_VALUE, 0f);
        assertThat(c.samples()).as("float32 keeps values beyond [-1, 1] exactly").containsExactly(interleaved);
    }

    @Test
    void ofFloatsEncodesPcm16WithClipping() {
        AudioChunk c = AudioChunk.ofFloats("m", 0, T0, 8_000, 1, SampleFormat.PCM_S16LE, new float[] {0f, 2f, -2f});
        assertThat(c.data()).isEqualTo(pcm16(0, 32767, -32768));
        assertThat(c.frames()).isEqualTo(3);
    }
}
