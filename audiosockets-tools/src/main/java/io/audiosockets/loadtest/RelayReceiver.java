package io.audiosockets.loadtest;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A receiver of the {@link RawRelay}: reads frames on a thread of its own and does the same
 * accounting as a {@link BenchProcessor} (count, {@link Checksums}, order, and latency from the
 * schedule the sender stamped into bytes 8..15), so that both sides of a ratio pay for the same
 * work.
 *
 * <p>Frame payload: {@code i64 seq, i64 scheduled nanoTime, audio bytes...} (big-endian).
 * The reading thread owns the socket; getters may be called from any thread.
 */
final class RelayReceiver implements AutoCloseable {
    private final Socket socket;
    private final Latencies latencies;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile long received;
    private volatile long checksum;
    private volatile long outOfOrder;
    private volatile IOException failure;

    /** Connects to the relay at {@code port} and starts reading; {@code latencies} may be null. */
    RelayReceiver(int port, int maxFrameBytes, Latencies latencies) throws IOException {
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.getOutputStream().write(RawRelay.RECEIVER);
        socket.getOutputStream().flush();
        this.latencies = latencies;
        this.thread = new Thread(() -> read(maxFrameBytes), "relay-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(int maxFrameBytes) {
        Checksums sums = new Checksums();
        long expected = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), RawRelay.BUFFER_BYTES))) {
            byte[] frame = new byte[maxFrameBytes];
            ByteBuffer view = ByteBuffer.wrap(frame);
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                in.readFully(frame, 0, length);
                long now = System.nanoTime();
                long seq = view.getLong(0);
                if (latencies != null) {
                    latencies.record(view.getLong(8), now);
                }
                if (seq != expected) {
                    outOfOrder++;
                }
                expected = seq + 1;
                sums.add(seq, frame, 0, length);
                checksum = sums.sum();
                received = sums.count();
            }
        } catch (IOException e) {
            if (!socket.isClosed()) {
                failure = e;
            }
        } finally {
            ended.countDown();
        }
    }

    /** Frames received so far. */
    long received() {
        return received;
    }

    /** The checksum of every frame received. */
    long checksum() {
        return checksum;
    }

    /** Frames whose sequence number did not follow the previous one. */
    long outOfOrder() {
        return outOfOrder;
    }

    /** The I/O error that ended reading early, or null. */
    IOException failure() {
        return failure;
    }

    /** Waits up to {@code millis} for the relay to end the stream. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
