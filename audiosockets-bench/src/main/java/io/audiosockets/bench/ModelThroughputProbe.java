package io.audiosockets.bench;

import io.audiosockets.ml.OnnxModel;
import io.audiosockets.ml.SileroVad;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N detectors side by side on one machine, each with its own loaded Silero model on its own
 * thread (as N processors, each with its model, would run): the audio they get through together,
 * as a multiple of real time, for N = 1, 2, 4 and 8 by default. Each thread feeds the
 * {@link SpeechLikeSignal} in 20 ms chunks as fast as it can for the measured seconds, after as
 * many of warm-up. Not JMH: the point is the threads competing for the cores. Run:
 * {@code java -cp audiosockets-bench/target/benchmarks.jar io.audiosockets.bench.ModelThroughputProbe [SECONDS [N...]]}
 */
public final class ModelThroughputProbe {
    private ModelThroughputProbe() {
    }

    /** Prints one line per N. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] counts = args.length > 1 ? new int[args.length - 1] : new int[] {1, 2, 4, 8};
        for (int i = 1; i < args.length; i++) {
            counts[i - 1] = Integer.parseInt(args[i]);
        }
        float[] signal = SpeechLikeSignal.generate(10 * SpeechLikeSignal.SAMPLE_RATE);
        System.out.printf(Locale.ROOT, "%d cores; %d s measured per N after %d s of warm-up%n",
                Runtime.getRuntime().availableProcessors(), seconds, seconds);
        for (int n : counts) {
            run(n, seconds, signal);
        }
    }

    private static void run(int n, int seconds, float[] signal) throws InterruptedException {
        AtomicLong samples = new AtomicLong();
        CountDownLatch warm = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        long warmEnd = System.nanoTime() + seconds * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        for (int t = 0; t < n; t++) {
            Thread thread = new Thread(() -> {
                try (OnnxModel model = SileroVad.loadBuiltIn(OnnxModel.Device.CPU)) {
                    SileroVad vad = new SileroVad(model, "s", 16000, SileroVad.Config.DEFAULT, e -> { }, () -> 0L);
                    int at = 0;
                    boolean counting = false;
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= end) {
                            break;
                        }
                        if (!counting && now >= warmEnd) {
                            counting = true;
                            warm.countDown();
                        }
                        if (at + 320 > signal.length) {
                            at = 0;
                        }
                        vad.process(signal, at, 320, 0);
                        at += 320;
                        if (counting) {
                            samples.addAndGet(320);
                        }
                    }
                }
            }, "model-" + t);
            threads.add(thread);
            thread.start();
        }
        warm.await();
        for (Thread thread : threads) {
            thread.join();
        }
        double audioSeconds = samples.get() / 16000.0;
        System.out.printf(Locale.ROOT, "N %2d: %8.0f s of audio in %d s: %6.1f x real time in all, %6.1f x per detector%n", n,
                audioSeconds, seconds, audioSeconds / seconds, audioSeconds / seconds / n);
    }
}
