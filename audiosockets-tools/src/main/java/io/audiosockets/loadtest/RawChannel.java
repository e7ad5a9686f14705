package io.audiosockets.loadtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One simulated client's non-blocking connection in the scale workload: the channel, a read
 * buffer that frames are parsed from, and a write buffer that is flushed as far as the socket
 * takes it (the rest waits for OP_WRITE). Used by one loop thread only.
 */
final class RawChannel {
    /** What to do with each whole frame read. */
    interface FrameHandler {
        /** The frame of {@code type} and payload {@code length} starting at {@code at} of {@code in}. */
        void frame(RawChannel c, ByteBuffer in, int at, int type, int length) throws IOException;
    }

    final int index;
    final SocketChannel channel;
    final ByteBuffer out;
    private ByteBuffer in;
    private SelectionKey key;
    private boolean closed;

    RawChannel(int index, SocketChannel channel, int inBytes, int outBytes) {
        this.index = index;
        this.channel = channel;
        this.in = ByteBuffer.allocate(inBytes);
        this.out = ByteBuffer.allocate(outBytes);
    }

    /** Makes the channel non-blocking and registers it for reading with {@code selector}, this object attached. */
    void register(Selector selector) throws IOException {
        channel.configureBlocking(false);
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /**
     * Reads what the socket has and hands every whole frame to {@code handler}.
     *
     * @return false if the mailman closed the connection
     */
    boolean read(FrameHandler handler) throws IOException {
        if (channel.read(in) < 0) {
            return false;
        }
        in.flip();
        int needed = 0;
        while (in.remaining() >= RawWire.HEADER_BYTES) {
            int at = in.position();
            int length = RawWire.length(in, at);
            if (in.remaining() < RawWire.HEADER_BYTES + length) {
                needed = RawWire.HEADER_BYTES + length;
                break;
            }
            handler.frame(this, in, at, RawWire.type(in, at), length);
            in.position(at + RawWire.HEADER_BYTES + length);
        }
        in.compact();
        if (needed > in.capacity()) {
            // A frame larger than the buffer (a long chunk): make room for the whole of it.
            ByteBuffer bigger = ByteBuffer.allocate(needed);
            bigger.put(in.flip());
            in = bigger;
        }
        return true;
    }

    /** Writes as much of {@link #out} as the socket takes; asks for OP_WRITE while anything is left. */
    void flush() throws IOException {
        if (closed) {
            out.clear();
            return;
        }
        out.flip();
        channel.write(out);
        out.compact();
        int want = out.position() == 0 ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
        if (key != null && key.interestOps() != want) {
            key.interestOps(want);
        }
    }

    /** True once {@link #close()} ran. */
    boolean closed() {
        return closed;
    }

    /** Closes the connection abruptly (no BYE); idempotent. */
    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing more to learn from this socket
        }
    }
}
