package io.audiosockets.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * What one hop costs on this machine at real-time pace, the unit the end-to-end latency is made
 * of: a sender wakes every 20 ms (as a recorder's capture thread does) and hands a timestamp to a
 * waiting receiver, either through a {@link BlockingQueue} (a thread hand-off, like a processor's
 * event loop to its processData thread) or over a loopback TCP connection with TCP_NODELAY (a
 * network hop). Prints p50, p90, p99 and max of the one-way time, in microseconds, for 500 messages each.
 *
 * <p>Not a JMH benchmark: at 50 messages a second the cost is the sleeping thread's wake-up,
 * which a tight JMH loop would never see. Run:
 * {@code java -cp audiosockets-bench/target/benchmarks.jar io.audiosockets.bench.WakeupProbe}
 */
public final class WakeupProbe {
    private static final int MESSAGES = 500;
    private static final long PERIOD_NANOS = 20_000_000;

    private WakeupProbe() {
    }

    /** Runs both probes and prints one line each. */
    public static void main(String[] args) throws Exception {
        print("thread hand-off (BlockingQueue)", queue());
        print("loopback TCP, one way", tcp());
    }

    private static long[] queue() throws IOException, InterruptedException {
        BlockingQueue<Long> q = new ArrayBlockingQueue<>(16);
        long[] out = new long[MESSAGES];
        Thread receiver = new Thread(() -> {
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    long sent = q.take();
                    out[i] = System.nanoTime() - sent;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();
        pace(i -> q.put(System.nanoTime()));
        receiver.join();
        return out;
    }

    private static long[] tcp() throws IOException, InterruptedException {
        long[] out = new long[MESSAGES];
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            client.setTcpNoDelay(true);
            accepted.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(accepted.getInputStream());
            Thread receiver = new Thread(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        long sent = in.readLong();
                        out[i] = System.nanoTime() - sent;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            receiver.start();
            DataOutputStream send = new DataOutputStream(client.getOutputStream());
            pace(i -> send.writeLong(System.nanoTime()));
            receiver.join();
        }
        return out;
    }

    private interface Send {
        void send(int i) throws IOException, InterruptedException;
    }

    private static void pace(Send send) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            long due = start + (i + 1) * PERIOD_NANOS;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            send.send(i);
        }
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-32s p50 %6.1f us  p90 %6.1f us  p99 %7.1f us  max %7.1f us  (%d messages at 50/s)%n", what,
                s[s.length / 2] / 1e3, s[s.length * 9 / 10] / 1e3, s[s.length * 99 / 100] / 1e3, s[s.length - 1] / 1e3, s.length);
    }
}
