package io.audiosockets.audio;

import io.audiosockets.internal.audio.Pacer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A generated test signal: a sine, white noise, or a speech-like burst pattern (a tone switched
 * on and off, for voice-activity demos), paced to real time unless told otherwise.
 *
 * <p>The signal is a pure function of the frame index, so two sources with the same settings
 * produce identical samples (noise uses a fixed seed).
 */
public final class SyntheticSource implements AudioSource {

    /** The kinds of signal. */
    public enum Waveform {
        /** A sine at the given frequency. */
        SINE,
        /** Uniform white noise, seeded. */
        NOISE,
        /** A sine switched off for 1 s and on for 1 s, over a quiet noise floor: a stand-in for speech and pauses. */
        BURSTS
    }

    private final Waveform waveform;
    private final double frequencyHz;
    private final double amplitude;
    private final StreamFormat format;
    private final Pacer pacer;
    private final long totalFrames;
    private final SplittableRandom random = new SplittableRandom(1234);
    private long frame;
    private volatile boolean closed;

    /**
     * A synthetic source.
     *
     * @param waveform the signal
     * @param frequencyHz frequency of the sine or bursts
     * @param amplitude peak amplitude, 0..1
     * @param format rate, channels (every channel carries the same signal) and sample format
     * @param realTime pace to real time (false: as fast as the reader reads, for benchmarks)
     * @param totalFrames frames to produce before the end, or {@link Long#MAX_VALUE} for endless
     */
    public SyntheticSource(Waveform waveform, double frequencyHz, double amplitude, StreamFormat format, boolean realTime,
                           long totalFrames) {
        this.waveform = Objects.requireNonNull(waveform, "waveform == null");
        this.format = Objects.requireNonNull(format, "format == null");
        if (!(frequencyHz > 0 && frequencyHz < format.sampleRate() / 2.0)) {
            throw new IllegalArgumentException("frequencyHz : " + frequencyHz + " (expected: 0 < f < " + format.sampleRate() / 2.0 + ")");
        }
        if (!(amplitude >= 0 && amplitude <= 1)) {
            throw new IllegalArgumentException("amplitude : " + amplitude + " (expected: 0..1)");
        }
        if (totalFrames <= 0) {
            throw new IllegalArgumentException("totalFrames : " + totalFrames + " (expected: > 0)");
        }
        this.frequencyHz = frequencyHz;
        this.amplitude = amplitude;
        this.pacer = realTime ? new Pacer(format.sampleRate()) : null;
        this.totalFrames = totalFrames;
    }

    /** An endless real-time sine, 16 kHz mono float32: the demo's default. */
    public static SyntheticSource sine(double frequencyHz) {
        return new SyntheticSource(Waveform.SINE, frequencyHz, 0.5, new StreamFormat(16_000, 1, SampleFormat.FLOAT32LE), true, Long.MAX_VALUE);
    }

    @Override
    public StreamFormat format() {
        return format;
    }

    @Override
    public int read(byte[] buffer, int offset, int frames) throws IOException {
        if (closed || frame >= totalFrames) {
            return -1;
        }
        int n = (int) Math.min(frames, totalFrames - frame);
        if (pacer != null) {
            try {
                pacer.await(frame + n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("synthetic source interrupted");
            }
        }
        ByteBuffer out = ByteBuffer.wrap(buffer, offset, n * format.frameBytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++, frame++) {
            float v = (float) sample(frame);
            for (int c = 0; c < format.channels(); c++) {
                if (format.sampleFormat() == SampleFormat.FLOAT32LE) {
                    out.putFloat(v);
                } else {
                    out.putShort(Samples.toPcm16(v));
                }
            }
        }
        return n;
    }

    private double sample(long i) {
        double t = (double) i / format.sampleRate();
        switch (waveform) {
            case SINE:
                return amplitude * Math.sin(2 * Math.PI * frequencyHz * t);
            case NOISE:
                return amplitude * (random.nextDouble() * 2 - 1);
            default:
                // Quiet first, so that a voice detector learns the noise floor before the first burst.
                boolean on = (i / format.sampleRate()) % 2 == 1;
                double floor = 0.003 * (random.nextDouble() * 2 - 1);
                return floor + (on ? amplitude * Math.sin(2 * Math.PI * frequencyHz * t) : 0);
        }
    }

    @Override
    public String describe() {
        return waveform.name().toLowerCase(Locale.ROOT) + (waveform == Waveform.NOISE ? "" : " " + frequencyHz + " Hz")
                + ", " + format + (pacer == null ? ", unpaced" : "");
    }

    @Override
    public void close() {
        closed = true;
    }
}
