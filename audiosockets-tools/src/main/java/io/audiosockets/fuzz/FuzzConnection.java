package io.audiosockets.fuzz;

import io.audiosockets.internal.protocol.AudioFrame;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.FrameCodec;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Pong;
import io.audiosockets.internal.protocol.ProtocolException;
import io.audiosockets.internal.protocol.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One blocking TCP connection of the campaign to the mailman: writes batches of frames and reads
 * what the mailman answers, counting it in {@link FuzzStats}. Loopback only.
 *
 * <p>A batch ends with a PING whose nonce the worker chose: the mailman answers PING in every
 * state, in order, so its PONG proves it has read, and accepted, everything before it; an ERROR
 * and a close mean it refused something in the batch. Waiting for one or the other needs no
 * guessing with sleeps. A connection that gets neither within the read timeout (the mailman is
 * waiting for the rest of a frame that claims more bytes than follow) is closed by us.
 */
final class FuzzConnection implements AutoCloseable {
    /** How a wait for the mailman ended. */
    enum Result {
        /** The awaited PONG or WELCOME arrived. */
        ANSWERED,
        /** The mailman closed the connection (after an ERROR, or silently). */
        CLOSED,
        /** Nothing decisive within the read timeout. */
        TIMEOUT
    }

    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FuzzStats stats;
    private final ByteBuf received = Unpooled.buffer(4096);
    private final byte[] chunk = new byte[16 * 1024];
    private boolean closedByMailman;
    private long lastSeq = -1;

    /**
     * Connects to {@code port} on 127.0.0.1.
     *
     * @throws IOException if the connection cannot be made (counted by the caller)
     */
    FuzzConnection(int port, Duration readTimeout, FuzzStats stats) throws IOException {
        this.stats = stats;
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            // Closing with a reset leaves no TIME_WAIT behind: a campaign of a million frames opens a great many connections.
            socket.setSoLinger(true, 0);
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            received.release();
            throw e;
        }
        stats.connections.increment();
    }

    /** True once the mailman has closed this connection. */
    boolean closedByMailman() {
        return closedByMailman;
    }

    /** The {@code lastSeq} of the WELCOME received, or -1. */
    long welcomeLastSeq() {
        return lastSeq;
    }

    /**
     * Writes {@code bytes} in one go. A write into a connection the mailman has already closed
     * fails; that is the mailman's close, counted as such.
     *
     * @return false if the connection is closed
     */
    boolean write(byte[] bytes) {
        if (closedByMailman) {
            return false;
        }
        try {
            out.write(bytes);
            stats.bytesSent.add(bytes.length);
            return true;
        } catch (IOException e) {
            markClosed();
            return false;
        }
    }

    /** Reads until the PONG of {@code nonce}, a close, or the timeout. */
    Result awaitPong(long nonce) {
        return await(m -> m instanceof Pong p && p.nonce() == nonce);
    }

    /** Reads until a WELCOME, a close, or the timeout. */
    Result awaitWelcome() {
        return await(m -> {
            if (m instanceof Welcome w) {
                lastSeq = w.lastSeq();
                stats.welcomes.increment();
                return true;
            }
            return false;
        });
    }

    /** Reads until the mailman closes (the answer to a BYE), or the timeout. */
    Result awaitClose() {
        return await(m -> false);
    }

    private Result await(java.util.function.Predicate<Message> wanted) {
        while (!closedByMailman) {
            Message m;
            try {
                m = FrameCodec.decode(received, MAX_ANSWER_BYTES);
            } catch (ProtocolException e) {
                // The mailman only sends frames it encoded itself: an answer that does not decode is a mailman bug.
                stats.unparseableAnswers.increment();
                return Result.TIMEOUT;
            }
            if (m != null) {
                if (m instanceof AudioFrame f) {
                    f.release(); // a slice of the receive buffer: released before that buffer's bytes move
                }
                received.discardSomeReadBytes();
                if (wanted.test(m)) {
                    return Result.ANSWERED;
                }
                if (m instanceof ErrorMessage e) {
                    stats.error(e.code());
                } else if (!(m instanceof Welcome)) {
                    stats.otherAnswers.increment();
                }
                continue;
            }
            try {
                int n = in.read(chunk);
                if (n < 0) {
                    markClosed();
                } else {
                    received.writeBytes(chunk, 0, n);
                }
            } catch (SocketTimeoutException e) {
                return Result.TIMEOUT;
            } catch (IOException e) {
                markClosed(); // a reset is a close too
            }
        }
        return Result.CLOSED;
    }

    private void markClosed() {
        if (!closedByMailman) {
            closedByMailman = true;
            stats.closedByMailman.increment();
        }
    }

    @Override
    public void close() {
        if (!closedByMailman) {
            stats.closedByUs.increment();
        }
        received.release();
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket the peer has reset: nothing left to do
        }
    }
}
