package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link WavArchiveKillTest}: archives a synthetic stream and is killed by
 * its parent. Arguments: directory, chunks to write before saying {@code WROTE n} on stdout,
 * mode ({@code block}: then wait on stdin, which the parent never closes; {@code continue}: go on
 * writing, up to {@link #MAX_CHUNKS}, until killed), format ({@code s16} or {@code f32}).
 */
public final class ArchiveWriterMain {
    static final int RATE = 16000;
    static final int CHUNK_FRAMES = 320;
    static final int CHANNELS = 2;
    static final Duration ROTATION = Duration.ofMillis(250);
    static final long T0 = 1_795_533_150_000_000_000L; // 2026-11-24T15:12:30Z
    static final int MAX_CHUNKS = 20_000;

    private ArchiveWriterMain() {
    }

    /** Chunk {@code seq} of the synthetic stream: the same for parent and child. */
    static AudioChunk chunk(long seq, SampleFormat format) {
        float[] x = new float[CHUNK_FRAMES * CHANNELS];
        for (int i = 0; i < CHUNK_FRAMES; i++) {
            long n = seq * CHUNK_FRAMES + i;
            x[2 * i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * n / RATE));
            x[2 * i + 1] = (float) (((n * 7919) % 2001) / 1000.0 - 1.0) * 0.25f;
        }
        return AudioChunk.ofFloats("mic/1", seq, T0 + seq * CHUNK_FRAMES * 1_000_000_000L / RATE, RATE, CHANNELS, format, x);
    }

    /** Runs the child; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int signalAfter = Integer.parseInt(args[1]);
        boolean block = args[2].equals("block");
        SampleFormat format = SampleFormat.parse(args[3]);
        try (WavArchive archive = new WavArchive(dir, ROTATION)) {
            for (int seq = 0; seq < MAX_CHUNKS; seq++) {
                archive.write(chunk(seq, format));
                if (seq + 1 == signalAfter) {
                    System.out.println("WROTE " + signalAfter);
                    System.out.flush();
                    if (block) {
                        System.in.read(); // the parent kills us while we wait here
                        return;
                    }
                }
            }
        }
    }
}
