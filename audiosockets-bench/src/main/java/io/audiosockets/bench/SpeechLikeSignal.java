package io.audiosockets.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A deterministic, speech-like 16 kHz mono test signal for the benchmarks: a voiced source (20
 * harmonics of a pitch gliding between 110 and 170 Hz, amplitude 1/k) in syllables (a 4 Hz
 * {@code sin^2} envelope, silent between syllables), plus uniform noise from a seeded SplitMix64.
 *
 * <pre>
 * t = i / 16000
 * phi(t) = 2 pi 140 t - 60 cos(2 pi 0.5 t) + 60            (instantaneous pitch 140 + 30 sin(2 pi 0.5 t) Hz)
 * x[i] = float32( 0.08 * sin^2(2 pi 2 t) * sum_{k=1..20} sin(k phi(t)) / k  +  0.01 * (2 u_i - 1) )
 * u_i = (splitmix64_next() >>> 11) * 2^-53, seed 20241124
 * </pre>
 *
 * {@code audiosockets-bench/python/logmel_numpy_reference.py} builds the same signal with the same
 * formula (bit-identical up to the last ulp of {@code sin}, which float32 rounding absorbs); it can
 * also read the exact samples written by {@link #main(String[])}.
 */
public final class SpeechLikeSignal {
    /** Sampling rate in Hz. */
    public static final int SAMPLE_RATE = 16_000;
    /** PRNG seed of the noise. */
    public static final long SEED = 20241124L;

    private SpeechLikeSignal() {
    }

    /** The first {@code n} samples of the signal. */
    public static float[] generate(int n) {
        float[] x = new float[n];
        long state = SEED;
        for (int i = 0; i < n; i++) {
            double t = (double) i / SAMPLE_RATE;
            double phi = 2 * Math.PI * 140.0 * t - 60.0 * Math.cos(2 * Math.PI * 0.5 * t) + 60.0;
            double voiced = 0;
            for (int k = 1; k <= 20; k++) {
                voiced += Math.sin(k * phi) / k;
            }
            double s = Math.sin(2 * Math.PI * 2.0 * t);
            double envelope = s * s;
            // splitmix64, as in Vigna's reference C code (Steele, Lea, Flood 2014).
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            double u = (z >>> 11) * 0x1.0p-53;
            x[i] = (float) (0.08 * envelope * voiced + 0.01 * (2 * u - 1));
        }
        return x;
    }

    /**
     * Writes the signal as raw little-endian float32, for the numpy reference:
     * {@code java -cp audiosockets-bench/target/benchmarks.jar io.audiosockets.bench.SpeechLikeSignal OUT.f32 [SECONDS]}
     * (default 10 s).
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SpeechLikeSignal OUT.f32 [SECONDS]");
            System.exit(2);
        }
        double seconds = args.length == 2 ? Double.parseDouble(args[1]) : 10.0;
        float[] x = generate((int) Math.round(seconds * SAMPLE_RATE));
        ByteBuffer buf = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(x);
        Files.write(Path.of(args[0]), buf.array());
        System.out.println("wrote " + x.length + " samples (" + seconds + " s at " + SAMPLE_RATE + " Hz) to " + args[0]);
    }
}
