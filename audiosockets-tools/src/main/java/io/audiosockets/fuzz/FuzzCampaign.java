package io.audiosockets.fuzz;

import io.audiosockets.audio.SampleFormat;
import io.audiosockets.audio.StreamFormat;
import io.audiosockets.audio.SyntheticSource;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.recorder.Recorder;
import io.audiosockets.recorder.RecorderOptions;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fuzz campaign against a live mailman, in this JVM, on a free loopback port.
 *
 * <p>A real {@link Recorder} streams a sine in 20 ms chunks at real time as stream {@value #STREAM}
 * to a real processor ({@value #PROCESSOR}), while {@link FuzzSettings#workers()} connections
 * at a time send mutated frames and random bytes, before and after a valid HELLO, as recorders
 * and as processors ({@link FuzzWorker}), reading and counting what the mailman answers. At the
 * end the campaign checks that
 * <ul>
 *   <li>the processor received every chunk the recorder captured, each exactly once, with no gap;</li>
 *   <li>the mailman still serves: a new client registers;</li>
 *   <li>the heap in use after GC is back where it was before the fuzzing, within
 *       {@link FuzzSettings#heapTolerance()} (this measures the whole JVM: the mailman, the
 *       fuzzing clients, the recorder and the processor);</li>
 *   <li>every answer of the mailman decoded, and every connection was accepted.</li>
 * </ul>
 *
 * <p>The mailman keeps 2 s and 1 MiB per stream (its retention), and the heap is measured once
 * the live stream's log is full, and again once every fuzz client has gone and the mailman has
 * forgotten their streams (2 s after the last fuzz recorder left). What may legitimately remain
 * (the parked positions of fuzz processors, where the forgotten streams' numbering ended) is
 * small and bounded by names, not by connections or frames.
 *
 * <pre>{@code
 * FuzzReport r = new FuzzCampaign(FuzzSettings.of(1_000_000, 42), NetworkConfig.defaults(), progress).run();
 * r.print(out);
 * }</pre>
 */
public final class FuzzCampaign {
    /** The real recorder's stream. */
    public static final String STREAM = "live";
    /** The real processor's name. */
    public static final String PROCESSOR = "fuzz-check";
    private static final Duration PERIOD = Duration.ofMillis(20);

    private final FuzzSettings settings;
    private final NetworkConfig base;
    private final PrintWriter progress;

    /**
     * @param settings the campaign
     * @param base the configuration the mailman starts from (logging, DISCONNECT_MSG...); its
     *             address, frame limit, retention and handshake timeout are replaced
     * @param progress where a progress line goes every 10 s; {@code null} for none
     */
    public FuzzCampaign(FuzzSettings settings, NetworkConfig base, PrintWriter progress) {
        this.settings = settings;
        this.base = base;
        this.progress = progress;
    }

    /**
     * Runs the campaign and returns its figures; check {@link FuzzReport#passed()}.
     *
     * @throws InterruptedException if interrupted; everything started is closed first
     * @throws ExecutionException if a fuzz worker failed (a bug in the fuzzer, not in the mailman)
     */
    public FuzzReport run() throws InterruptedException, ExecutionException {
        NetworkConfig serverConfig = base.toBuilder().server("127.0.0.1").port(0).maxFrameBytes(settings.maxFrameBytes())
                .handshakeTimeout(Duration.ofSeconds(1)).retention(Duration.ofSeconds(2)).retentionBytes(1 << 20)
                .reconnectInterval(Duration.ofMillis(100)).build();
        try (Mailman mailman = new Mailman(serverConfig).startAsync()) {
            NetworkConfig client = serverConfig.toBuilder().port(mailman.port()).build();
            CheckingProcessor processor = new CheckingProcessor(ProcessorOptions.builder(PROCESSOR).config(client).subscribe(STREAM).build());
            Recorder recorder = null;
            try {
                processor.startAsync();
                processor.connected().join();
                recorder = new Recorder(new SyntheticSource(SyntheticSource.Waveform.SINE, 440, 0.5,
                        new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE), true, Long.MAX_VALUE),
                        RecorderOptions.builder().config(client).stream(STREAM).period(PERIOD).build());
                recorder.startAsync();
                // Warm up until the live stream's retention is full and the JIT has seen the paths: a steady heap to start from.
                processor.awaitAll(settings.warmup().toMillis() / PERIOD.toMillis(), settings.warmup().toMillis() + 10_000);
                long heapBefore = HeapProbe.usedAfterGc(5);
                long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();

                // Two phases, the heap measured after each: the state the fuzz clients may legitimately leave (parked
                // positions, where forgotten streams ended) is all there after the first tenth; a leak goes on growing.
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                FuzzStats stats = new FuzzStats();
                long firstPhase = Math.max(1, settings.frames() / 10);
                fuzz(mailman.port(), stats, firstPhase);
                awaitFuzzClientsGone(mailman);
                long heapMid = HeapProbe.usedAfterGc(5);
                fuzz(mailman.port(), stats, settings.frames() - firstPhase);
                Duration duration = Duration.ofNanos(System.nanoTime() - t0);

                awaitFuzzClientsGone(mailman);
                long heapAfter = HeapProbe.usedAfterGc(5);
                long directAfter = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
                boolean serving = newClientRegisters(mailman.port());

                recorder.close();
                long expected = recorder.chunksCaptured();
                processor.awaitAll(expected, 20_000);
                CheckingProcessor.Delivery delivery = processor.delivery(expected);
                return new FuzzReport(settings, started, duration, stats.snapshot(), mailman.stats().snapshot(), delivery, heapBefore,
                        heapMid, heapAfter, directBefore, directAfter, serving, recorder.chunksDropped(),
                        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            } finally {
                if (recorder != null) {
                    recorder.close();
                }
                processor.close();
            }
        }
    }

    /** Runs the workers until {@code frames} more fuzz frames are sent or the time is up. */
    private void fuzz(int port, FuzzStats stats, long frames) throws InterruptedException, ExecutionException {
        if (frames <= 0) {
            return;
        }
        AtomicLong budget = new AtomicLong(frames);
        ExecutorService pool = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < settings.workers(); i++) {
                workers.add(pool.submit(new FuzzWorker(i, port, settings, stats, budget)));
            }
            long deadline = System.nanoTime() + settings.maxDuration().toNanos();
            for (Future<?> w : workers) {
                while (true) {
                    long left = deadline - System.nanoTime();
                    try {
                        w.get(Math.max(1, Math.min(left, TimeUnit.SECONDS.toNanos(10))), TimeUnit.NANOSECONDS);
                        break;
                    } catch (TimeoutException e) {
                        report(stats);
                        if (System.nanoTime() - deadline >= 0) {
                            budget.set(0); // time is up: every worker stops after its current connection
                        }
                    }
                }
            }
        } finally {
            budget.set(0);
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void report(FuzzStats stats) {
        if (progress != null) {
            FuzzStats.Snapshot s = stats.snapshot();
            progress.printf("fuzz: %,d of %,d frames sent, %,d connections, %,d ERRORs%n", s.fuzzFrames(), settings.frames(),
                    s.connections(), s.errorTotal());
            progress.flush();
        }
    }

    /**
     * Waits (at most 10 s) until the mailman has let go of every fuzz client and forgotten their
     * streams: only the real ones are registered, and only the live stream has a log.
     */
    private static void awaitFuzzClientsGone(Mailman mailman) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(mailman.processors().equals(List.of(PROCESSOR)) && mailman.recorders().equals(List.of(STREAM))
                && mailman.streams().equals(List.of(STREAM))) && System.nanoTime() - deadline < 0) {
            Thread.sleep(20); // polling the mailman's registry, which has no listener for this
        }
    }

    /** True if a new processor connection gets its WELCOME. */
    private static boolean newClientRegisters(int port) {
        FrameFuzzer f = new FrameFuzzer(0, 1024);
        try (FuzzConnection c = new FuzzConnection(port, Duration.ofSeconds(5), new FuzzStats())) {
            return c.write(f.hello(Role.PROCESSOR, "fz-probe", List.of(STREAM))) && c.awaitWelcome() == FuzzConnection.Result.ANSWERED;
        } catch (IOException e) {
            return false;
        }
    }
}
