package io.audiosockets.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavArchiveTest {
    private static final long T0 = Instant.parse("2026-11-24T15:12:30.123456789Z").toEpochMilli() * 1_000_000L + 456_789L;

    @TempDir
    Path dir;

    /** Random PCM16 bytes (every 16-bit value possible, -32768 included) for {@code frames} frames. */
    private static byte[] randomPcm(Random r, int frames, int channels) {
        byte[] b = new byte[frames * channels * 2];
        r.nextBytes(b);
        return b;
    }

    private static long nanosAt(long frame, int rate) {
        return T0 + frame * 1_000_000_000L / rate;
    }

    @Test
    void pcm16FilesHoldExactlyTheBytesStreamed() throws Exception {
        Random r = new Random(1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (WavArchive archive = new WavArchive(dir)) {
            for (int seq = 0; seq < 10; seq++) {
                byte[] pcm = randomPcm(r, 3200, 2);
                pcm[0] = 0;
                pcm[1] = (byte) 0x80; // -32768: a value a float round trip would not keep
                all.write(pcm);
                archive.write(new AudioChunk("mic", seq, nanosAt(seq * 3200L, 16000), 16000, 2, SampleFormat.PCM_S16LE, pcm));
            }
            assertThat(archive.files()).containsExactly(dir.resolve("mic_20261124T151230.123Z.wav"));
        }
        Path f = dir.resolve("mic_20261124T151230.123Z.wav");
        AudioFormat fmt = WavTestFiles.javaSoundFormat(f);
        assertThat(fmt.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
        assertThat(fmt.getSampleRate()).isEqualTo(16000f);
        assertThat(fmt.getChannels()).isEqualTo(2);
        assertThat(fmt.getSampleSizeInBits()).isEqualTo(16);
        assertThat(fmt.isBigEndian()).isFalse();
        assertThat(WavTestFiles.readWithJavaSound(f)).isEqualTo(all.toByteArray());
        WavTestFiles.Header h = WavTestFiles.header(f);
        assertThat(h.formatTag()).isEqualTo(1);
        assertThat(h.dataOffset()).isEqualTo(44);
        assertThat(h.dataSize()).isEqualTo(Files.size(f) - 44);
        assertThat(h.riffSize()).isEqualTo(Files.size(f) - 8);
    }

    @Test
    void float32FilesAreIeeeFloatWavs() throws Exception {
        Random r = new Random(2);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (WavArchive archive = new WavArchive(dir)) {
            for (int seq = 0; seq < 5; seq++) {
                float[] x = new float[441 * 3];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian() * 0.3f;
                }
                AudioChunk c = AudioChunk.ofFloats("room", seq, nanosAt(seq * 441L, 44100), 44100, 3, SampleFormat.FLOAT32LE, x);
                all.write(c.data());
                archive.write(c);
            }
        }
        List<Path> files = WavTestFiles.wavs(dir);
        assertThat(files).hasSize(1);
        Path f = files.get(0);
        WavTestFiles.Header h = WavTestFiles.header(f);
        assertThat(h.formatTag()).isEqualTo(3); // WAVE_FORMAT_IEEE_FLOAT
        assertThat(h.bitsPerSample()).isEqualTo(32);
        assertThat(h.channels()).isEqualTo(3);
        assertThat(h.sampleRate()).isEqualTo(44100);
        assertThat(h.factFrames()).isEqualTo(5 * 441);
        assertThat(h.dataOffset()).isEqualTo(58);
        assertThat(h.dataSize()).isEqualTo(Files.size(f) - 58).isEqualTo(all.size());
        AudioFormat fmt = WavTestFiles.javaSoundFormat(f);
        assertThat(fmt.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_FLOAT);
        assertThat(fmt.getChannels()).isEqualTo(3);
        assertThat(WavTestFiles.readWithJavaSound(f)).isEqualTo(all.toByteArray());
    }

    @Test
    void rotationSplitsExactlyAndNamesEachFileByItsFirstSample() throws Exception {
        // 3.5 s in 0.3 s chunks with 1 s files: 4 files of 1, 1, 1 and 0.5 s; chunks cross the boundaries.
        Random r = new Random(3);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (WavArchive archive = new WavArchive(dir, Duration.ofSeconds(1))) {
            int frames = 0;
            for (int seq = 0; frames < 56000; seq++) {
                int n = Math.min(4800, 56000 - frames);
                byte[] pcm = randomPcm(r, n, 1);
                all.write(pcm);
                archive.write(new AudioChunk("mic", seq, nanosAt(frames, 16000), 16000, 1, SampleFormat.PCM_S16LE, pcm));
                frames += n;
            }
        }
        List<Path> files = WavTestFiles.wavs(dir);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "mic_20261124T151230.123Z.wav", "mic_20261124T151231.123Z.wav",
                "mic_20261124T151232.123Z.wav", "mic_20261124T151233.123Z.wav");
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        long[] sizes = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            byte[] d = WavTestFiles.readWithJavaSound(files.get(i));
            sizes[i] = d.length / 2;
            back.write(d);
        }
        assertThat(sizes).containsExactly(16000, 16000, 16000, 8000);
        assertThat(back.toByteArray()).isEqualTo(all.toByteArray());
    }

    @Test
    void aGapStartsANewFileAndNothingIsInvented() throws Exception {
        byte[] pcm = randomPcm(new Random(4), 1600, 1);
        try (WavArchive archive = new WavArchive(dir)) {
            archive.write(new AudioChunk("mic", 0, nanosAt(0, 16000), 16000, 1, SampleFormat.PCM_S16LE, pcm));
            archive.write(new AudioChunk("mic", 1, nanosAt(1600, 16000), 16000, 1, SampleFormat.PCM_S16LE, pcm));
            // seq 2..4 lost: seq 5 is captured at frame 8000 = 0.5 s.
            archive.write(new AudioChunk("mic", 5, nanosAt(8000, 16000), 16000, 1, SampleFormat.PCM_S16LE, pcm));
            // An explicit gap (BaseProcessor.onGap) also starts a new file, even with consecutive seqs.
            archive.onGap("mic");
            archive.write(new AudioChunk("mic", 6, nanosAt(9600, 16000), 16000, 1, SampleFormat.PCM_S16LE, pcm));
            // A format change: 8 kHz from seq 7.
            archive.write(new AudioChunk("mic", 7, nanosAt(11200, 16000), 8000, 1, SampleFormat.PCM_S16LE, pcm));
            archive.write(new AudioChunk("mic", 8, nanosAt(11200, 16000) + 200_000_000L, 8000, 1, SampleFormat.PCM_S16LE, pcm));
        }
        List<Path> files = WavTestFiles.wavs(dir);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "mic_20261124T151230.123Z.wav", "mic_20261124T151230.623Z.wav",
                "mic_20261124T151230.723Z.wav", "mic_20261124T151230.823Z.wav");
        assertThat(files).extracting(p -> WavTestFiles.header(p).dataSize() / 2).containsExactly(3200L, 1600L, 1600L, 3200L);
        assertThat(WavTestFiles.header(files.get(3)).sampleRate()).isEqualTo(8000);
    }

    @Test
    void streamsGetTheirOwnFilesWithSanitisedNames() throws Exception {
        byte[] pcm = new byte[320];
        try (WavArchive archive = new WavArchive(dir)) {
            // "room 1/mic:ä" -> "room_1_mic__", then "_" before the time; ".." -> "stream__".
            archive.write(new AudioChunk("room 1/mic:ä", 0, T0, 16000, 1, SampleFormat.PCM_S16LE, pcm));
            archive.write(new AudioChunk("..", 0, T0, 16000, 1, SampleFormat.PCM_S16LE, pcm));
            archive.write(new AudioChunk("mic", 0, T0, 16000, 1, SampleFormat.PCM_S16LE, pcm));
            archive.onGap("mic");
            // Same stream, same millisecond: a suffix, never an overwrite.
            archive.write(new AudioChunk("mic", 1, T0, 16000, 1, SampleFormat.PCM_S16LE, pcm));
        }
        assertThat(WavTestFiles.wavs(dir)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                "room_1_mic___20261124T151230.123Z.wav", "stream___20261124T151230.123Z.wav",
                "mic_20261124T151230.123Z.wav", "mic_20261124T151230.123Z_1.wav");
    }

    @Test
    void headerIsCompleteAfterEveryChunkWithoutClosing() throws Exception {
        WavArchive archive = new WavArchive(dir);
        byte[] pcm = randomPcm(new Random(5), 160, 1);
        for (int seq = 0; seq < 3; seq++) {
            archive.write(new AudioChunk("mic", seq, nanosAt(seq * 160L, 16000), 16000, 1, SampleFormat.PCM_S16LE, pcm));
            Path f = archive.files().get(0);
            assertThat(WavTestFiles.header(f).dataSize()).isEqualTo(320L * (seq + 1)).isEqualTo(Files.size(f) - 44);
            assertThat(WavTestFiles.readWithJavaSound(f)).hasSize(320 * (seq + 1));
        }
        archive.close();
        assertThatThrownBy(() -> archive.write(new AudioChunk("mic", 3, T0, 16000, 1, SampleFormat.PCM_S16LE, pcm)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsRotationUnderAMillisecond() {
        assertThatThrownBy(() -> new WavArchive(dir, Duration.ofNanos(999_999)))
                .hasMessage("rotation : PT0.000999999S (expected: >= 1 ms)");
    }
}
