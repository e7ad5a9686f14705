package io.audiosockets.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audio sources on real input: WAV files written by javax.sound, a byte stream, and the
 * synthetic generator.
 */
class SourcesTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ helpers

    /** Writes a WAV file holding {@code data} (raw frames in {@code format}) with javax.sound. */
    private Path writeWav(String name, AudioFormat format, byte[] data) throws IOException {
        Path file = dir.resolve(name);
        long frames = data.length / format.getFrameSize();
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(data), format, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    private static byte[] s16le(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    /** Reads {@code source} to its end in reads of {@code framesPerRead}; returns the bytes. */
    private static byte[] readAll(AudioSource source, int framesPerRead) throws IOException {
        int frameBytes = source.format().frameBytes();
        byte[] buf = new byte[framesPerRead * frameBytes];
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int n; (n = source.read(buf, 0, framesPerRead)) != -1; ) {
            assertThat(n).as("frames per read").isBetween(1, framesPerRead);
            all.write(buf, 0, n * frameBytes);
        }
        assertThat(source.read(buf, 0, framesPerRead)).as("a read after the end").isEqualTo(-1);
        return all.toByteArray();
    }

    private static short[] every16BitValue() {
        short[] v = new short[65536];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (i - 32768);
        }
        return v;
    }

    // ------------------------------------------------------------------ WavFileSource

    @Test
    void sixteenBitMonoWavComesBackBitExactly() throws IOException {
        short[] values = every16BitValue();
        byte[] data = s16le(values);
        Path wav = writeWav("mono16.wav", new AudioFormat(16_000f, 16, 1, true, false), data);
        try (WavFileSource source = new WavFileSource(wav, false, false)) {
            assertThat(source.format()).isEqualTo(new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE));
            assertThat(readAll(source, 1000)).as("every 16-bit value through a WAV file").isEqualTo(data);
            assertThat(source.describe()).contains("mono16.wav").contains("unpaced");
        }
    }

    @Test
    void sixteenBitStereoWavComesBackBitExactly() throws IOException {
        short[] interleaved = new short[2 * 5000];
        for (int i = 0; i < 5000; i++) {
            interleaved[2 * i] = (short) (i * 13);
            interleaved[2 * i + 1] = (short) ~(i * 13);
        }
        byte[] data = s16le(interleaved);
        Path wav = writeWav("stereo16.wav", new AudioFormat(44_100f, 16, 2, true, false), data);
        try (WavFileSource source = new WavFileSource(wav, false, false)) {
            assertThat(source.format()).isEqualTo(new StreamFormat(44_100, 2, SampleFormat.PCM_S16LE));
            byte[] got = readAll(source, 333);
            assertThat(got).isEqualTo(data);
            AudioChunk c = new AudioChunk("st", 0, 0, 44_100, 2, SampleFormat.PCM_S16LE, got);
            assertThat(c.channel(1)[7]).isEqualTo((short) ~(7 * 13) / 32768f);
        }
    }

    @Test
    void twentyFourBitWavComesBackWithinOneLsb() throws IOException {
        int n = 4000;
        int[] values = new int[n];
        byte[] data = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            int v = i == 0 ? -8_388_608 : i == 1 ? 8_388_607 : (int) ((i * 2654435761L) % 8_388_607);
            values[i] = v;
            data[3 * i] = (byte) v;
            data[3 * i + 1] = (byte) (v >> 8);
            data[3 * i + 2] = (byte) (v >> 16);
        }
        Path wav = writeWav("mono24.wav", new AudioFormat(48_000f, 24, 1, true, false), data);
        try (WavFileSource source = new WavFileSource(wav, false, false)) {
            assertThat(source.format()).isEqualTo(new StreamFormat(48_000, 1, SampleFormat.FLOAT32LE));
            float[] got = Samples.decode(readAll(source, 512), SampleFormat.FLOAT32LE);
            assertThat(got).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat((double) got[i]).as("24-bit sample %d (%d)", i, values[i])
                        .isCloseTo(values[i] / 8_388_608.0, org.assertj.core.api.Assertions.within(1 / 8_388_608.0));
            }
        }
    }

    @Test
    void eightBitWavComesBackWithinOneLsb() throws IOException {
        byte[] data = new byte[256 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i; // unsigned 0..255, as WAV stores 8-bit
        }
        Path wav = writeWav("mono8.wav", new AudioFormat(AudioFormat.Encoding.PCM_UNSIGNED, 8_000f, 8, 1, 1, 8_000f, false), data);
        try (WavFileSource source = new WavFileSource(wav, false, false)) {
            assertThat(source.format()).isEqualTo(new StreamFormat(8_000, 1, SampleFormat.FLOAT32LE));
            float[] got = Samples.decode(readAll(source, 100), SampleFormat.FLOAT32LE);
            assertThat(got).hasSize(data.length);
            for (int i = 0; i < got.length; i++) {
                double expected = ((data[i] & 0xFF) - 128) / 128.0;
                assertThat((double) got[i]).as("8-bit sample %d", i).isCloseTo(expected, org.assertj.core.api.Assertions.within(1 / 128.0));
            }
        }
    }

    @Test
    void loopRestartsAtTheEnd() throws IOException {
        short[] values = new short[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) (i + 1);
        }
        Path wav = writeWav("loop.wav", new AudioFormat(8_000f, 16, 1, true, false), s16le(values));
        try (WavFileSource source = new WavFileSource(wav, false, true)) {
            assertThat(source.describe()).contains("looping");
            byte[] buf = new byte[64 * 2];
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (all.size() < 350 * 2) {
                int n = source.read(buf, 0, 64);
                assertThat(n).as("a looping source never ends").isPositive();
                all.write(buf, 0, n * 2);
            }
            ByteBuffer got = ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 350; i++) {
                assertThat(got.getShort(2 * i)).as("frame %d: frame %d of the file", i, i % 100).isEqualTo(values[i % 100]);
            }
        }
    }

    @Test
    void withoutLoopTheSourceEnds() throws IOException {
        Path wav = writeWav("once.wav", new AudioFormat(8_000f, 16, 1, true, false), new byte[100 * 2]);
        try (WavFileSource source = new WavFileSource(wav, false, false)) {
            assertThat(readAll(source, 64)).hasSize(200);
        }
    }

    @Test
    @Timeout(30)
    void unpacedReadsAreNotHeldToRealTime() throws IOException {
        // 120 s of audio: a source paced to real time could not finish within the 30 s timeout.
        int frames = 120 * 8_000;
        Path wav = writeWav("long.wav", new AudioFormat(8_000f, 16, 1, true, false), new byte[frames * 2]);
        try (WavFileSource source = new WavFileSource(wav, false, false)) {
            assertThat(readAll(source, 4096)).hasSize(frames * 2);
        }
    }

    @Test
    void pacedReadsTakeRealTime() throws IOException {
        // The one timing assertion: 0.3 s of audio takes at least ~0.3 s to read when paced.
        int frames = 4800; // 0.3 s at 16 kHz
        Path wav = writeWav("paced.wav", new AudioFormat(16_000f, 16, 1, true, false), new byte[frames * 2]);
        try (WavFileSource source = new WavFileSource(wav, true, false)) {
            assertThat(source.describe()).doesNotContain("unpaced");
            long start = System.nanoTime();
            byte[] got = readAll(source, 320);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(got).hasSize(frames * 2);
            assertThat(elapsedMillis).as("milliseconds to read 300 ms of paced audio").isBetween(280L, 10_000L);
        }
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nowhere.wav");
        IOException e = catchThrowableOfType(IOException.class, () -> new WavFileSource(missing, false, false));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(missing.toString());
    }

    @Test
    void aFileThatIsNotAudioIsNamed() throws IOException {
        Path text = dir.resolve("notes.wav");
        Files.writeString(text, "these are not the samples you are looking for\n".repeat(100));
        IOException e = catchThrowableOfType(IOException.class, () -> new WavFileSource(text, false, false));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(text.toString()).contains("not an audio file");
    }

    @Test
    void anEmptyFileIsNamed() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        IOException e = catchThrowableOfType(IOException.class, () -> new WavFileSource(empty, false, false));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(empty.toString());
    }

    @Test
    void aDirectoryIsNotAFile() {
        IOException e = catchThrowableOfType(IOException.class, () -> new WavFileSource(dir, false, false));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(dir.toString());
    }

    @Test
    void closeEndsReading() throws IOException {
        Path wav = writeWav("closed.wav", new AudioFormat(8_000f, 16, 1, true, false), new byte[1000]);
        WavFileSource source = new WavFileSource(wav, false, false);
        source.close();
        assertThat(source.read(new byte[100], 0, 50)).isEqualTo(-1);
    }

    // ------------------------------------------------------------------ PcmStreamSource

    /** A stream that hands out at most {@code max} bytes per read, like a pipe. */
    private static final class Trickle extends ByteArrayInputStream {
        private final int max;

        Trickle(byte[] data, int max) {
            super(data);
            this.max = max;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, max));
        }
    }

    @Test
    void pcmStreamReadsWholeFramesAndDropsATrailingPartialFrame() throws IOException {
        StreamFormat stereo16 = new StreamFormat(8_000, 2, SampleFormat.PCM_S16LE);
        byte[] data = new byte[10 * 4 + 3]; // 10 frames and 3 bytes of an 11th
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i + 1);
        }
        try (PcmStreamSource source = new PcmStreamSource(new ByteArrayInputStream(data), stereo16, "test")) {
            assertThat(source.format()).isEqualTo(stereo16);
            byte[] buf = new byte[6 * 4];
            assertThat(source.read(buf, 0, 6)).isEqualTo(6);
            assertThat(buf).isEqualTo(Arrays.copyOfRange(data, 0, 24));
            Arrays.fill(buf, (byte) 0);
            assertThat(source.read(buf, 0, 6)).as("4 whole frames left, then a partial one").isEqualTo(4);
            assertThat(Arrays.copyOfRange(buf, 0, 16)).isEqualTo(Arrays.copyOfRange(data, 24, 40));
            assertThat(source.read(buf, 0, 6)).as("at the end").isEqualTo(-1);
            assertThat(source.describe()).contains("test").contains("8000 Hz");
        }
    }

    @Test
    void pcmStreamAssemblesFramesFromSmallReads() throws IOException {
        StreamFormat f32 = new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE);
        byte[] data = new byte[100 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 3);
        }
        try (PcmStreamSource source = new PcmStreamSource(new Trickle(data, 3), f32, "pipe")) {
            assertThat(readAll(source, 7)).as("bytes assembled from 3-byte reads").isEqualTo(data);
        }
    }

    @Test
    void pcmStreamOfNothingEndsAtOnce() throws IOException {
        try (PcmStreamSource source = new PcmStreamSource(InputStream.nullInputStream(),
                new StreamFormat(8_000, 1, SampleFormat.PCM_S16LE), "empty")) {
            assertThat(source.read(new byte[20], 0, 10)).isEqualTo(-1);
        }
    }

    @Test
    void pcmStreamReadsAtAnOffset() throws IOException {
        byte[] data = {1, 2, 3, 4};
        try (PcmStreamSource source = new PcmStreamSource(new ByteArrayInputStream(data),
                new StreamFormat(8_000, 1, SampleFormat.PCM_S16LE), "x")) {
            byte[] buf = new byte[7];
            assertThat(source.read(buf, 3, 2)).isEqualTo(2);
            assertThat(buf).containsExactly(0, 0, 0, 1, 2, 3, 4);
        }
    }

    // ------------------------------------------------------------------ SyntheticSource

    private static SyntheticSource synth(SyntheticSource.Waveform w, double hz, double amplitude, StreamFormat f, long frames) {
        return new SyntheticSource(w, hz, amplitude, f, false, frames);
    }

    private static final StreamFormat MONO_F32 = new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE);

    @Test
    void twoSourcesWithTheSameSettingsAreIdentical() throws IOException {
        for (SyntheticSource.Waveform w : SyntheticSource.Waveform.values()) {
            byte[] a = readAll(synth(w, 440, 0.5, MONO_F32, 40_000), 1000);
            byte[] b = readAll(synth(w, 440, 0.5, MONO_F32, 40_000), 333);
            assertThat(a).as("%s read twice, in different read sizes", w).isEqualTo(b).hasSize(40_000 * 4);
        }
    }

    @Test
    void sineHasTheRequestedAmplitudeAndFrequency() throws IOException {
        float[] s = Samples.decode(readAll(synth(SyntheticSource.Waveform.SINE, 440, 0.8, MONO_F32, 16_000), 1024),
                SampleFormat.FLOAT32LE);
        assertThat(s).hasSize(16_000);
        float peak = 0;
        int upwardCrossings = 0;
        for (int i = 0; i < s.length; i++) {
            peak = Math.max(peak, Math.abs(s[i]));
            if (i > 0 && s[i - 1] < 0 && s[i] >= 0) {
                upwardCrossings++;
            }
        }
        assertThat((double) peak).as("peak of a 0.8 sine").isBetween(0.79, 0.8 + 1e-6);
        assertThat(upwardCrossings).as("upward zero crossings in 1 s of a 440 Hz sine").isBetween(439, 441);
        assertThat(s[0]).as("the sine starts at 0").isEqualTo(0f);
    }

    @Test
    void everyChannelCarriesTheSameSignalAndPcm16MatchesFloat() throws IOException {
        StreamFormat stereo16 = new StreamFormat(8_000, 2, SampleFormat.PCM_S16LE);
        byte[] pcm = readAll(synth(SyntheticSource.Waveform.SINE, 1000, 0.5, stereo16, 800), 100);
        byte[] flt = readAll(synth(SyntheticSource.Waveform.SINE, 1000, 0.5, new StreamFormat(8_000, 1, SampleFormat.FLOAT32LE), 800), 100);
        AudioChunk c = new AudioChunk("s", 0, 0, 8_000, 2, SampleFormat.PCM_S16LE, pcm);
        assertThat(c.channel(0)).isEqualTo(c.channel(1));
        float[] f = Samples.decode(flt, SampleFormat.FLOAT32LE);
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 800; i++) {
            assertThat(b.getShort(4 * i)).as("frame %d", i).isEqualTo(Samples.toPcm16(f[i]));
        }
    }

    @Test
    void noiseStaysWithinItsAmplitude() throws IOException {
        float[] s = Samples.decode(readAll(synth(SyntheticSource.Waveform.NOISE, 440, 0.25, MONO_F32, 10_000), 1000),
                SampleFormat.FLOAT32LE);
        double sum = 0;
        for (float v : s) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(0.25f);
            sum += v;
        }
        assertThat(Math.abs(sum / s.length)).as("mean of uniform noise").isLessThan(0.02);
    }

    @Test
    void totalFramesIsRespected() throws IOException {
        SyntheticSource s = synth(SyntheticSource.Waveform.SINE, 440, 0.5, MONO_F32, 1000);
        byte[] buf = new byte[300 * 4];
        assertThat(s.read(buf, 0, 300)).isEqualTo(300);
        assertThat(s.read(buf, 0, 300)).isEqualTo(300);
        assertThat(s.read(buf, 0, 300)).isEqualTo(300);
        assertThat(s.read(buf, 0, 300)).as("the last 100 frames").isEqualTo(100);
        assertThat(s.read(buf, 0, 300)).as("after totalFrames").isEqualTo(-1);
    }

    @Test
    void closeEndsTheSyntheticSource() throws IOException {
        SyntheticSource s = SyntheticSource.sine(440);
        assertThat(s.format()).isEqualTo(new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE));
        assertThat(s.describe()).contains("sine").contains("440").doesNotContain("unpaced");
        s.close();
        assertThat(s.read(new byte[400], 0, 100)).isEqualTo(-1);
    }

    @Test
    void syntheticSettingsAreValidatedByName() {
        assertThatThrownBy(() -> synth(SyntheticSource.Waveform.SINE, 0, 0.5, MONO_F32, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frequencyHz : 0.0");
        assertThatThrownBy(() -> synth(SyntheticSource.Waveform.SINE, 8_000, 0.5, MONO_F32, 10))
                .as("at Nyquist").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frequencyHz : 8000.0")
                .hasMessageContaining("8000.0)");
        assertThatThrownBy(() -> synth(SyntheticSource.Waveform.SINE, Double.NaN, 0.5, MONO_F32, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frequencyHz : NaN");
        assertThatThrownBy(() -> synth(SyntheticSource.Waveform.SINE, 440, 1.5, MONO_F32, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amplitude : 1.5").hasMessageContaining("0..1");
        assertThatThrownBy(() -> synth(SyntheticSource.Waveform.SINE, 440, -0.1, MONO_F32, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amplitude : -0.1");
        assertThatThrownBy(() -> synth(SyntheticSource.Waveform.SINE, 440, Double.NaN, MONO_F32, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amplitude : NaN");
        assertThatThrownBy(() -> synth(SyntheticSource.Waveform.SINE, 440, 0.5, MONO_F32, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalFrames : 0");
        assertThatThrownBy(() -> synth(null, 440, 0.5, MONO_F32, 10))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("waveform");
        assertThatThrownBy(() -> new StreamFormat(0, 1, SampleFormat.FLOAT32LE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate : 0");
        assertThatThrownBy(() -> new StreamFormat(8_000, 0, SampleFormat.FLOAT32LE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels : 0");
    }
}
