package io.audiosockets.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP forwarder between one client and the mailman that can be cut: {@link #cut()} resets both
 * connections at once (SO_LINGER 0, so the mailman receives an RST, as from a process killed with
 * SIGKILL or a machine that vanished) and stops accepting, so the client's reconnects fail. The
 * client never says goodbye: this is the crash workload's crashed processor, with no hook in the
 * client itself.
 *
 * <p>One accepting thread, two copying threads per connection. Thread-safe.
 */
final class CutProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean cut;

    /** A proxy on a free loopback port to {@code targetHost:targetPort}; accepting at once. */
    CutProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        daemon(this::accept, "cut-proxy-accept");
    }

    /** The port the client connects to instead of the mailman's. */
    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!cut) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                synchronized (sockets) {
                    if (cut) {
                        reset(client);
                        reset(upstream);
                        return;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
                daemon(() -> pump(client, upstream), "cut-proxy-up");
                daemon(() -> pump(upstream, client), "cut-proxy-down");
            } catch (IOException e) {
                if (cut || server.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // cut, or one side closed: the other copier ends too
        }
    }

    /** Resets every connection through the proxy and refuses new ones. Idempotent. */
    void cut() {
        cut = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        synchronized (sockets) {
            sockets.forEach(CutProxy::reset);
            sockets.clear();
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close() then sends RST instead of FIN: an abrupt end, no goodbye
        } catch (SocketException e) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        cut();
    }
}
