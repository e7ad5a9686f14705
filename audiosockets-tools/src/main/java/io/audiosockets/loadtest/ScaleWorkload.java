package io.audiosockets.loadtest;

import io.audiosockets.config.NetworkConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The scale workload: R recorders and P processors that speak the raw protocol over
 * non-blocking sockets from two threads of this JVM ({@link RawRecorders}, {@link RawProcessors}),
 * so that thousands of clients cost the generator little and the figures are the mailman's:
 * deliveries, loss, latency from the schedule, and, for a forked mailman, its CPU, RSS and GC
 * pauses, and its CPU per delivery.
 */
final class ScaleWorkload {
    /** How long the processors may take, after the last chunk is due, to receive every chunk sent. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private ScaleWorkload() {
    }

    static List<CaseResult> run(RunContext ctx) throws IOException, InterruptedException {
        List<CaseResult> results = new ArrayList<>();
        BenchSettings s = ctx.settings();
        if (ctx.target().embedded().isPresent()) {
            ctx.note("scale: the mailman ran in this JVM, so its CPU and memory are mixed with the generator's; "
                    + "--fork runs it apart and measures it");
        }
        for (int samples : s.chunkSamples()) {
            for (int r : s.recorders()) {
                if (s.oneToOne()) {
                    results.add(runCase(ctx, samples, r, r, GRACE, Optional.empty()));
                } else {
                    for (int p : s.processors()) {
                        results.add(runCase(ctx, samples, r, p, GRACE, Optional.empty()));
                    }
                }
            }
        }
        return results;
    }

    /**
     * One case.
     *
     * @param grace how long to wait after the schedule's end for the last deliveries
     * @param cutProcessorsAfter a fault for tests: close every processor connection this long after measuring starts
     */
    static ScaleResult runCase(RunContext ctx, int samples, int recorderCount, int processorCount, Duration grace,
                               Optional<Duration> cutProcessorsAfter) throws IOException, InterruptedException {
        NetworkConfig client = ctx.client();
        if (client.security().clientTls()) {
            throw new IllegalArgumentException("scale: the raw-protocol generator speaks plain TCP only; leave TLS out of the "
                    + "config given with -c for this workload");
        }
        boolean oneToOne = ctx.settings().oneToOne();
        String label = "scale, R=" + recorderCount + ", P=" + processorCount;
        String base = ctx.name("scale", samples, recorderCount, processorCount);
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < recorderCount; i++) {
            streams.add(base + "-r" + i);
        }
        InetSocketAddress address = new InetSocketAddress(client.host(), client.port());
        Latencies latency = new Latencies("measured");
        Latencies sendLag = new Latencies("measured");
        RawChannel[] processors = new RawChannel[processorCount];
        RawChannel[] recorders = new RawChannel[recorderCount];
        try (Selector processorSelector = Selector.open(); Selector recorderSelector = Selector.open()) {
            long connectStart = System.nanoTime();
            // Processors first: each stream then appears after its processors registered, and they get it from its first chunk.
            int longestName = streams.stream().mapToInt(n -> RawWire.utf8(n).length).max().orElse(1);
            for (int i = 0; i < processorCount; i++) {
                String name = base + "-p" + i;
                List<String> subscribed = oneToOne ? List.of(streams.get(i)) : streams;
                processors[i] = connect(address, i, name, RawWire.hello(1, RawWire.ROLE_PROCESSOR, name, ThreadLocalRandom.current().nextLong(),
                                client.security().processorSecret(), client.processorWindow(), subscribed),
                        processorCount <= 16 ? 256 * 1024 : 16 * 1024, RawProcessors.outBytes(oneToOne ? 1 : recorderCount, longestName),
                        samples);
                processors[i].register(processorSelector);
            }
            for (int i = 0; i < recorderCount; i++) {
                recorders[i] = connect(address, i, streams.get(i), RawWire.hello(3, RawWire.ROLE_RECORDER, streams.get(i),
                                ThreadLocalRandom.current().nextLong(), client.security().recorderSecret(), client.recorderWindow(), List.of()),
                        4 * 1024, RawRecorders.outBytes(samples), 0);
                recorders[i].register(recorderSelector);
            }
            double connectSeconds = RelayRun.round3((System.nanoTime() - connectStart) / 1e9);

            long t0 = System.nanoTime() + 20_000_000L;
            long measureFrom = t0 + ctx.settings().warmup().toNanos();
            long end = measureFrom + ctx.settings().duration().toNanos();
            latency.startPhase(0, measureFrom);
            sendLag.startPhase(0, measureFrom);
            long cutAt = cutProcessorsAfter.map(d -> measureFrom + d.toNanos()).orElse(Long.MAX_VALUE);
            RawRecorders sender = new RawRecorders(recorderSelector, recorders, streams, samples, client.recorderWindow(), t0, end,
                    ctx.clock(), sendLag, ctx);
            RawProcessors receiver = new RawProcessors(processorSelector, processors, streams, oneToOne, samples, ctx.clock(), latency,
                    ctx, cutAt);
            Thread senderThread = new Thread(sender, "scale-recorders");
            Thread receiverThread = new Thread(receiver, "scale-processors");
            receiverThread.start();
            senderThread.start();
            Optional<Path> gcLog = ctx.target().gcLog();
            try {
                Waits.until(measureFrom);
                RunContext.Snapshot before = ctx.sample();
                long deliveredBefore = receiver.delivered();
                long threadsBefore = cpu(senderThread) + cpu(receiverThread);
                long gcBefore = gcLog.map(GcPauses::mark).orElse(-1L);
                long mailmanPid = ctx.target().process().map(ProcessHandle::pid).orElse(-1L);
                long benchPid = ProcessHandle.current().pid();
                long mailmanWaitBefore = mailmanPid < 0 ? -1 : RunQueueWait.nanos(mailmanPid);
                long benchWaitBefore = RunQueueWait.nanos(benchPid);
                Waits.until(end);
                RunContext.Snapshot after = ctx.sample();
                long deliveredAfter = receiver.delivered();
                long threadsAfter = cpu(senderThread) + cpu(receiverThread);
                long mailmanWaitAfter = mailmanPid < 0 ? -1 : RunQueueWait.nanos(mailmanPid);
                long benchWaitAfter = RunQueueWait.nanos(benchPid);
                GcPauses gc = gcLog.map(log -> GcPauses.between(log, gcBefore, GcPauses.mark(log))).orElse(GcPauses.UNKNOWN);

                long deadline = end + grace.toNanos();
                while (System.nanoTime() < deadline && !finished(sender, receiver, oneToOne ? 1 : processorCount)) {
                    Thread.sleep(5); // polling the loops' counters: they have no events to wait on
                }
                sender.stop();
                receiver.stop();
                senderThread.join();
                receiverThread.join();

                long scheduled = Math.max(sender.scheduled(), 0);
                long sent = sender.sent();
                long expected = sent * (oneToOne ? 1 : processorCount);
                long delivered = receiver.delivered();
                long lost = Math.max(0, expected - delivered);
                if (lost > 0) {
                    ctx.fail(label + ": " + lost + " chunks lost (expected " + expected + " deliveries of the " + sent
                            + " chunks sent, got " + delivered + " within " + grace.toSeconds() + " s after the end; "
                            + receiver.gapChunks() + " announced by " + receiver.gapNotices() + " GAPs)");
                }
                if (sent < scheduled) {
                    ctx.fail(label + ": the recorders could not keep real time: " + (scheduled - sent) + " of " + scheduled
                            + " chunks were still held by full ACK windows at the end");
                }
                if (receiver.silentSkips() > 0 || receiver.duplicates() > 0) {
                    ctx.fail(label + ": " + receiver.silentSkips() + " seqs skipped without a GAP, " + receiver.duplicates()
                            + " chunks out of order or twice");
                }
                if (latency.negativeCount() > 0) {
                    ctx.note(label + ": " + latency.negativeCount() + " latencies came out negative and were counted as 0");
                }
                double seconds = after.secondsSince(before);
                Usage mailman = after.mailmanSince(before);
                long deliveredIn = deliveredAfter - deliveredBefore;
                double perDelivery = mailman == null || mailman.cores() < 0 || deliveredIn == 0 ? -1
                        : Math.round(mailman.cores() * seconds * 1e6 / deliveredIn * 10) / 10.0;
                return new ScaleResult(recorderCount, processorCount, oneToOne, samples, RelayRun.round3(seconds), connectSeconds,
                        scheduled, sent, expected, delivered, lost, receiver.gapNotices(), receiver.gapChunks(), receiver.silentSkips(),
                        receiver.duplicates(), sender.windowStalls(), sender.late(), latency.percentiles().get(0),
                        sendLag.percentiles().get(0), Math.round((threadsAfter - threadsBefore) / 1e9 / seconds * 100) / 100.0,
                        after.benchSince(before), RunQueueWait.cores(benchWaitBefore, benchWaitAfter, seconds), mailman,
                        RunQueueWait.cores(mailmanWaitBefore, mailmanWaitAfter, seconds), gc, perDelivery);
            } finally {
                sender.stop();
                receiver.stop();
                senderThread.join();
                receiverThread.join();
            }
        } finally {
            closeAll(recorders);
            closeAll(processors);
        }
    }

    private static boolean finished(RawRecorders sender, RawProcessors receiver, int deliveriesPerChunk) {
        long scheduled = sender.scheduled();
        long sent = sender.sent();
        return scheduled >= 0 && sent == scheduled && receiver.delivered() >= sent * deliveriesPerChunk;
    }

    private static long cpu(Thread t) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(t.getId()) : -1;
        return Math.max(nanos, 0);
    }

    /** A blocking connect and handshake, then the connection for a loop. */
    private static RawChannel connect(InetSocketAddress address, int index, String name, ByteBuffer hello, int inBytes,
                                      int outBytes, int samples) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(address);
            long lastSeq = RawWire.handshake(ch, hello, name);
            if (lastSeq >= 0) {
                throw new IOException(name + ": the mailman already holds chunks of this stream (lastSeq " + lastSeq + ")");
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        // A frame of the largest chunk must fit the read buffer at once.
        return new RawChannel(index, ch, Math.max(inBytes, 64 + 4 * samples + 256), outBytes);
    }

    private static void closeAll(RawChannel[] conns) {
        for (RawChannel c : conns) {
            if (c != null) {
                c.close();
            }
        }
    }
}
