package io.audiosockets.testkit;

import io.audiosockets.internal.protocol.StreamFrame;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A bare TCP client for tests that speak to the mailman byte by byte: it can send garbage,
 * truncated or oversized frames, and read back what the mailman answers.
 *
 * <p>It speaks in the protocol's frame types ({@code io.audiosockets.internal.protocol}), which are not a stable
 * API: a test written with it checks the wire (PROTOCOL.md), and may need updating when the frames' classes change.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteBuf received = Unpooled.buffer();

    /** Connects to 127.0.0.1:{@code port} (no TCP delay, 10 s read timeout). */
    public RawClient(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = socket.getInputStream();
    }

    /** Sends raw bytes: anything, well-formed or not. */
    public void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Sends one frame, encoded as PROTOCOL.md says. */
    public void send(Message m) throws IOException {
        send(encode(m));
    }

    /** The bytes of one frame. */
    public static byte[] encode(Message m) {
        ByteBuf buf = Unpooled.buffer();
        FrameCodec.encode(m, buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        buf.release();
        return out;
    }

    /** The next frame from the mailman; fails if none arrives within 10 s or the connection closes first. */
    public Message read() throws IOException {
        byte[] chunk = new byte[4096];
        while (true) {
            Message m = FrameCodec.decode(received, 64 * 1024 * 1024);
            if (m != null) {
                if (m instanceof StreamFrame f) {
                    // The decoded frame is a slice of the receive buffer, whose bytes discardReadBytes() and
                    // later reads move or overwrite: give the frame bytes of its own.
                    ByteBuf own = Unpooled.copiedBuffer(f.content());
                    f.release();
                    m = FrameCodec.decode(own, 64 * 1024 * 1024);
                    own.release();
                }
                received.discardReadBytes();
                return m;
            }
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("connection closed by the mailman before a complete frame");
            }
            received.writeBytes(chunk, 0, n);
        }
    }

    /**
     * The next frame that is not a heartbeat (PINGs are answered). Fails after {@code timeout}: the
     * mailman's PINGs would otherwise keep a read of something that never comes alive forever.
     */
    public Message readSkippingHeartbeats(java.time.Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("nothing but heartbeats from the mailman for " + timeout.toMillis() + " ms");
            }
            Message m = read();
            if (m instanceof io.audiosockets.internal.protocol.Ping p) {
                send(new io.audiosockets.internal.protocol.Pong(p.nonce()));
            } else if (!(m instanceof io.audiosockets.internal.protocol.Pong)) {
                return m;
            }
        }
    }

    /** True once the mailman has closed the connection (reads to end of stream, within 10 s). */
    public boolean closedByPeer() throws IOException {
        byte[] chunk = new byte[4096];
        try {
            while (in.read(chunk) >= 0) {
                // drain whatever is left
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // a reset is a close too
        }
    }

    @Override
    public void close() throws IOException {
        if (received.refCnt() > 0) {
            received.release(); // idempotent: a test may close a client that is also closed in its teardown
        }
        socket.close();
    }
}
