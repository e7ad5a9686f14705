package io.audiosockets.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Reads back WAV files for the archive tests, both with javax.sound and by parsing the header. */
final class WavTestFiles {
    private WavTestFiles() {
    }

    /** What the header of a file we wrote says. */
    record Header(int formatTag, int channels, int sampleRate, int bitsPerSample, long riffSize, long dataSize,
                  int dataOffset, long factFrames) {
    }

    static Header header(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(all, 0, 4, "US-ASCII")).as("%s RIFF", file).isEqualTo("RIFF");
        assertThat(new String(all, 8, 4, "US-ASCII")).as("%s WAVE", file).isEqualTo("WAVE");
        long riff = Integer.toUnsignedLong(b.getInt(4));
        int at = 12;
        int tag = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        long fact = -1;
        while (at + 8 <= all.length) {
            String id = new String(all, at, 4, "US-ASCII");
            long size = Integer.toUnsignedLong(b.getInt(at + 4));
            if (id.equals("fmt ")) {
                tag = b.getShort(at + 8);
                channels = b.getShort(at + 10);
                rate = b.getInt(at + 12);
                bits = b.getShort(at + 22);
            } else if (id.equals("fact")) {
                fact = Integer.toUnsignedLong(b.getInt(at + 8));
            } else if (id.equals("data")) {
                return new Header(tag, channels, rate, bits, riff, size, at + 8, fact);
            }
            at += 8 + (int) size;
        }
        throw new AssertionError(file + " has no data chunk");
    }

    /** The file's sample bytes as javax.sound reads them. */
    static byte[] readWithJavaSound(Path file) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            byte[] data = in.readAllBytes();
            assertThat((long) data.length).isEqualTo(in.getFrameLength() * f.getFrameSize());
            return data;
        }
    }

    static AudioFormat javaSoundFormat(Path file) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            return in.getFormat();
        }
    }

    static List<Path> wavs(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
    }
}
