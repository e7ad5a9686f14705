package io.audiosockets.ml;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.dsp.SpeechEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The committed test data (src/test/resources/io/audiosockets/ml) and ways to feed it. */
final class TestData {
    static final long T0 = 1_700_000_000_000_000_000L;

    /** A 16-bit mono WAV's sample bytes and rate. */
    record Wav(int rate, byte[] pcm) {
        int frames() {
            return pcm.length / 2;
        }

        float[] floats() {
            ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
            float[] x = new float[frames()];
            for (int i = 0; i < x.length; i++) {
                x[i] = b.getShort() / 32768f;
            }
            return x;
        }

        /** The chunks of {@code chunkFrames} samples (the last may be shorter), captured back to back from {@link #T0}. */
        List<AudioChunk> chunks(String stream, int chunkFrames) {
            List<AudioChunk> out = new ArrayList<>();
            for (int at = 0, seq = 0; at < frames(); at += chunkFrames, seq++) {
                int n = Math.min(chunkFrames, frames() - at);
                long nanos = T0 + at * 1_000_000_000L / rate;
                out.add(new AudioChunk(stream, seq, nanos, rate, 1, SampleFormat.PCM_S16LE, Arrays.copyOfRange(pcm, 2 * at, 2 * (at + n))));
            }
            return out;
        }
    }

    private TestData() {
    }

    static byte[] resource(String name) {
        try (InputStream in = TestData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resourceFile(String name, Path dir) throws IOException {
        Path p = dir.resolve(name.replace('/', '_'));
        Files.write(p, resource(name));
        return p;
    }

    static Wav wav(String name) {
        ByteBuffer b = ByteBuffer.wrap(resource(name)).order(ByteOrder.LITTLE_ENDIAN);
        int rate = 0;
        int at = 12;
        while (at + 8 <= b.limit()) {
            String id = new String(b.array(), at, 4, StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (id.equals("fmt ")) {
                rate = b.getInt(at + 12);
            } else if (id.equals("data")) {
                return new Wav(rate, Arrays.copyOfRange(b.array(), at + 8, at + 8 + size));
            }
            at += 8 + size + (size & 1);
        }
        throw new IllegalStateException(name + ": no data chunk");
    }

    static float[] f32(String name) {
        ByteBuffer b = ByteBuffer.wrap(resource(name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] x = new float[b.remaining() / 4];
        b.asFloatBuffer().get(x);
        return x;
    }

    /** The reference probabilities: the second column of the TSV. */
    static float[] probabilities(String name) {
        String[] lines = new String(resource(name), StandardCharsets.US_ASCII).strip().split("\n");
        float[] p = new float[lines.length];
        for (int i = 0; i < lines.length; i++) {
            String[] cols = lines[i].split("\t");
            if (Integer.parseInt(cols[0]) != i) {
                throw new IllegalStateException(name + ": line " + i + " is window " + cols[0]);
            }
            p[i] = Float.parseFloat(cols[1]);
        }
        return p;
    }

    /** A labelled sound of the quality file. */
    record Label(String kind, long start, long end) {
    }

    static List<Label> labels(String name) {
        List<Label> out = new ArrayList<>();
        for (String line : new String(resource(name), StandardCharsets.US_ASCII).strip().split("\n")) {
            String[] c = line.split("\t");
            out.add(new Label(c[0], Long.parseLong(c[1]), Long.parseLong(c[2])));
        }
        return out;
    }

    /** Collects what a detector reports. */
    static final class Collector implements VadEventSink {
        final List<SpeechEvent> events = new ArrayList<>();
        final List<Float> probabilities = new ArrayList<>();
        final List<Long> windowSamples = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();

        @Override
        public void onSpeechEvent(SpeechEvent event) {
            events.add(event);
        }

        @Override
        public void onProbability(String stream, long sample, long timeNanos, float probability) {
            probabilities.add(probability);
            windowSamples.add(sample);
        }

        @Override
        public void onSkipped(Skipped s) {
            skipped.add(s);
        }

        float[] probabilityArray() {
            float[] p = new float[probabilities.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = probabilities.get(i);
            }
            return p;
        }
    }
}
