package io.audiosockets.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy for fault injection: clients connect to {@link #port()} and reach the
 * target through it. It can cut every connection abruptly (RST, no FIN, no BYE), make the
 * current connections silently drop all traffic both ways while both ends stay connected (a
 * half-open path: a peer that vanished, a cable pulled), or stop reading from the target
 * (a processor that stops reading while its socket stays open).
 *
 * <p>Plain blocking sockets and two threads per connection: simple, and for tests only.
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    /** One proxied connection: client side and target side. */
    private final class Link {
        final Socket client;
        final Socket target;
        volatile boolean blackholed;
        /** Guards the pumps while paused. */
        final Object pauseLock = new Object();
        boolean pausedDown;
        boolean pausedUp;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() {
            Thread up = new Thread(() -> pump(client, target, false), "proxy-up-" + client.getPort());
            Thread down = new Thread(() -> pump(target, client, true), "proxy-down-" + client.getPort());
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(Socket from, Socket to, boolean downstream) {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    awaitUnpaused(downstream);
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (!blackholed) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
                if (!blackholed) {
                    to.shutdownOutput();
                }
            } catch (IOException | InterruptedException e) {
                // one side went away (or was cut): the other pump ends with it
            }
            if (!blackholed) {
                closeQuietly(client);
                closeQuietly(target);
            }
        }

        private void awaitUnpaused(boolean downstream) throws InterruptedException {
            synchronized (pauseLock) {
                while (downstream ? pausedDown : pausedUp) {
                    pauseLock.wait();
                }
            }
        }

        void setPaused(boolean downstream, boolean p) {
            synchronized (pauseLock) {
                if (downstream) {
                    pausedDown = p;
                } else {
                    pausedUp = p;
                }
                pauseLock.notifyAll();
            }
        }

        void reset() {
            for (Socket s : new Socket[] {client, target}) {
                try {
                    s.setSoLinger(true, 0); // close with RST: no FIN, no goodbye
                } catch (SocketException ignored) {
                    // already closed
                }
                closeQuietly(s);
            }
        }
    }

    /** A proxy to {@code 127.0.0.1:targetPort}, listening on an ephemeral loopback port. */
    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket target;
                try {
                    target = new Socket();
                    target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                } catch (IOException e) {
                    closeQuietly(client); // target down: the client sees a refused-like close
                    continue;
                }
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                Link link = new Link(client, target);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("proxy accept failed", e);
                }
            }
        }
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections proxied so far (cut or not). */
    public int connectionsAccepted() {
        return links.size();
    }

    /** Cuts every current connection with a reset, both ways; new connections go through normally. */
    public void cutAll() {
        for (Link l : links) {
            l.reset();
        }
    }

    /**
     * From now on the current connections drop every byte both ways, and both ends stay
     * connected: only heartbeats can tell. New connections go through normally.
     */
    public void blackholeCurrent() {
        for (Link l : links) {
            l.blackholed = true;
        }
    }

    /** Stops (or resumes) reading from the target on every current connection: the client reads nothing meanwhile. */
    public void pauseDownstream(boolean paused) {
        for (Link l : links) {
            l.setPaused(true, paused);
        }
    }

    /**
     * Stops (or resumes) reading from the client on every current connection: what it sends
     * (acknowledgements, say) stays in socket buffers, and is lost with them if it dies.
     */
    public void pauseUpstream(boolean paused) {
        for (Link l : links) {
            l.setPaused(false, paused);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Link l : links) {
            l.setPaused(true, false);
            l.setPaused(false, false);
            l.reset();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
