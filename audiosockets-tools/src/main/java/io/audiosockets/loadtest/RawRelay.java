package io.audiosockets.loadtest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline: the least a relay can do. It accepts {@code receivers} connections, then one
 * sender, and copies every length-prefixed frame ({@code u32 length, bytes}) from the sender to
 * every receiver, in order. No protocol, no acknowledgements, no retention, no isolation (a slow
 * receiver blocks everyone): the physical reference of loopback TCP in Java that the mailman's
 * figures are divided by.
 *
 * <p>Plain blocking sockets with {@code TCP_NODELAY}, one relay thread: it reads a frame, writes it
 * to every receiver's buffer, and flushes them all once nothing more is waiting from the sender
 * (the same batching the mailman does at the end of a read batch).
 *
 * <p>A connection says what it is with one first byte: {@link #RECEIVER} or {@link #SENDER}.
 * Thread-safe: the relay thread owns the sockets; {@link #close()} may be called from any thread.
 */
final class RawRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RawRelay.class);
    /** First byte of a receiver's connection. */
    static final int RECEIVER = 'R';
    /** First byte of the sender's connection. */
    static final int SENDER = 'S';
    /** Socket stream buffers, as large as a 0.5 s chunk of 16 kHz float32 (32,000 bytes) and then some. */
    static final int BUFFER_BYTES = 64 * 1024;
    /**
     * The relay's output buffers: small frames (20 ms: 1,284 bytes) are gathered a dozen to a
     * write, large ones (0.5 s: 32,004 bytes) bypass the buffer and go out without a copy.
     */
    static final int OUT_BUFFER_BYTES = 16 * 1024;

    private final int receivers;
    private final int maxFrameBytes;
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread thread;

    /** A relay for {@code receivers} receivers of frames of at most {@code maxFrameBytes}, listening on a free loopback port. */
    RawRelay(int receivers, int maxFrameBytes) throws IOException {
        if (receivers < 1) {
            throw new IllegalArgumentException("receivers : " + receivers + " (expected: >= 1)");
        }
        this.receivers = receivers;
        this.maxFrameBytes = maxFrameBytes;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::run, "raw-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** The port to connect to. */
    int port() {
        return server.getLocalPort();
    }

    // The relay thread.
    private void run() {
        try {
            List<Socket> outs = new ArrayList<>();
            Socket sender = null;
            while (outs.size() < receivers || sender == null) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(s);
                }
                int role = s.getInputStream().read();
                if (role == RECEIVER) {
                    outs.add(s);
                } else if (role == SENDER && sender == null) {
                    sender = s;
                } else {
                    s.close();
                }
            }
            relay(sender, outs);
        } catch (IOException e) {
            if (!server.isClosed()) {
                log.warn("raw relay stopped: {}", e.toString());
            }
        } finally {
            close();
        }
    }

    private void relay(Socket sender, List<Socket> receiverSockets) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(sender.getInputStream(), BUFFER_BYTES));
        OutputStream[] outs = new OutputStream[receiverSockets.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = new BufferedOutputStream(receiverSockets.get(i).getOutputStream(), OUT_BUFFER_BYTES);
        }
        // The frame as read, length prefix included, so that it goes out in one write per receiver.
        byte[] frame = new byte[4 + maxFrameBytes];
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                break;
            }
            if (length < 0 || length > maxFrameBytes) {
                throw new IOException("frame of " + length + " bytes (expected: 0.." + maxFrameBytes + ")");
            }
            in.readFully(frame, 4, length);
            frame[0] = (byte) (length >>> 24);
            frame[1] = (byte) (length >>> 16);
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
            for (OutputStream out : outs) {
                out.write(frame, 0, 4 + length);
            }
            if (in.available() == 0) {
                for (OutputStream out : outs) {
                    out.flush();
                }
            }
        }
        for (int i = 0; i < outs.length; i++) {
            outs[i].flush();
            receiverSockets.get(i).shutdownOutput();
        }
    }

    /** Stops relaying and closes every socket. Idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing: nothing left to do
                }
            }
        }
    }

    /** Waits up to {@code millis} for the relay thread to end (after the sender closed). */
    boolean awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }
}
