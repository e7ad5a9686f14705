package io.audiosockets.loadtest;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sender of the {@link RawRelay}: frames of a fixed size, either as fast as TCP takes them
 * (throughput) or at a fixed pace, one frame per chunk duration (latency), on a thread of its own.
 * Each frame's payload starts with its sequence number and scheduled hand-off time (see
 * {@link RelayReceiver}); the rest is constant audio bytes.
 *
 * <p>The sending thread owns the socket; {@link #stop()} and getters may be called from any thread.
 */
final class RelaySender implements AutoCloseable {
    private final Socket socket;
    private final byte[] payload;
    private final long paceNanos;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile long sent;
    private volatile long checksum;
    private volatile IOException failure;

    /**
     * Connects to the relay at {@code port} and starts sending frames of {@code payloadBytes}.
     *
     * @param paceNanos time between frames, or 0 to send as fast as possible
     */
    RelaySender(int port, int payloadBytes, long paceNanos) throws IOException {
        if (payloadBytes < 16) {
            throw new IllegalArgumentException("payloadBytes : " + payloadBytes + " (expected: >= 16)");
        }
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        this.payload = new byte[payloadBytes];
        this.paceNanos = paceNanos;
        this.thread = new Thread(this::send, "relay-sender");
        thread.setDaemon(true);
        thread.start();
    }

    private void send() {
        Checksums sums = new Checksums();
        ByteBuffer stamp = ByteBuffer.wrap(payload);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), RawRelay.BUFFER_BYTES))) {
            out.write(RawRelay.SENDER);
            out.flush();
            long start = System.nanoTime();
            for (long seq = 0; !stopped; seq++) {
                long due = start + (seq + 1) * paceNanos;
                if (paceNanos > 0) {
                    for (long wait = due - System.nanoTime(); wait > 0 && !stopped; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(this, wait);
                    }
                    if (stopped) {
                        break;
                    }
                }
                stamp.putLong(0, seq).putLong(8, paceNanos > 0 ? due : System.nanoTime());
                out.writeInt(payload.length);
                out.write(payload);
                if (paceNanos > 0) {
                    out.flush();
                }
                sums.add(seq, payload, 0, payload.length);
                checksum = sums.sum();
                sent = sums.count();
            }
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            failure = e;
        } finally {
            ended.countDown();
        }
    }

    /** Stops after the frame being sent; the relay then ends the stream for every receiver. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** Waits up to {@code millis} for the sender to have flushed and closed its side. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Frames sent so far. */
    long sent() {
        return sent;
    }

    /** The checksum of every frame sent. */
    long checksum() {
        return checksum;
    }

    /** The I/O error that ended sending early, or null. */
    IOException failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
