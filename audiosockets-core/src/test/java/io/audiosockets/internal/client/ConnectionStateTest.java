package io.audiosockets.internal.client;

import static io.audiosockets.internal.client.ConnectionState.CLOSED;
import static io.audiosockets.internal.client.ConnectionState.CLOSING;
import static io.audiosockets.internal.client.ConnectionState.CONNECTING;
import static io.audiosockets.internal.client.ConnectionState.HANDSHAKING;
import static io.audiosockets.internal.client.ConnectionState.NEW;
import static io.audiosockets.internal.client.ConnectionState.OPEN;
import static io.audiosockets.internal.client.ConnectionState.REFUSED;
import static io.audiosockets.internal.client.ConnectionState.WAITING_TO_RECONNECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.audiosockets.client.MailmanException;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client connection's life: the transitions {@link ConnectionState} allows, exactly as its
 * Javadoc lists them, and a real client against a real mailman going through them, never
 * reconnecting once closed or refused.
 */
class ConnectionStateTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theTransitionsAreExactlyThoseDocumented() {
        Map<ConnectionState, EnumSet<ConnectionState>> documented = Map.of(
                NEW, EnumSet.of(CONNECTING, CLOSING),
                CONNECTING, EnumSet.of(HANDSHAKING, WAITING_TO_RECONNECT, CLOSING),
                HANDSHAKING, EnumSet.of(OPEN, WAITING_TO_RECONNECT, REFUSED, CLOSING),
                OPEN, EnumSet.of(WAITING_TO_RECONNECT, REFUSED, CLOSING),
                WAITING_TO_RECONNECT, EnumSet.of(CONNECTING, CLOSING),
                REFUSED, EnumSet.of(CLOSING),
                CLOSING, EnumSet.of(CLOSED),
                CLOSED, EnumSet.noneOf(ConnectionState.class));
        for (ConnectionState from : ConnectionState.values()) {
            for (ConnectionState to : ConnectionState.values()) {
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(documented.get(from).contains(to));
            }
        }
    }

    @Test
    void onlyRefusedClosingAndClosedAreStopping() {
        for (ConnectionState s : ConnectionState.values()) {
            assertThat(s.stopping()).as("%s stopping", s).isEqualTo(s == REFUSED || s == CLOSING || s == CLOSED);
        }
    }

    @Test
    void aRealClientIsOpenWhenWelcomedWaitsWhenTheMailmanGoesAndIsClosedAfterClose() throws Exception {
        Mailman mailman = new Mailman(NetworkConfig.builder().port(0).build()).startAsync();
        NetworkConfig config = NetworkConfig.builder().port(mailman.port()).reconnectInterval(Duration.ofMillis(200)).build();
        try (ClientConnection client = new ClientConnection("processor 'states'", config, null, new SilentCallbacks("states", ""), null)) {
            assertThat(client.state()).isEqualTo(NEW);
            client.start();
            client.firstWelcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(client.state()).isEqualTo(OPEN);
            assertThat(client.isConnected()).isTrue();

            mailman.close();
            // Away: it waits, tries, finds nobody, waits again.
            await().atMost(WAIT).until(() -> EnumSet.of(WAITING_TO_RECONNECT, CONNECTING).contains(client.state()));
            assertThat(client.isConnected()).isFalse();

            client.close();
            assertThat(client.state()).isEqualTo(CLOSED);
            assertThat(client.terminated()).isCompleted();
        } finally {
            mailman.close();
        }
    }

    @Test
    void aClientRefusedForGoodIsRefusedUntilClosed() throws Exception {
        Mailman mailman = new Mailman(NetworkConfig.builder().port(0).token("right").build()).startAsync();
        NetworkConfig config = NetworkConfig.builder().port(mailman.port()).reconnectInterval(Duration.ofMillis(200)).build();
        try (ClientConnection client = new ClientConnection("processor 'wrong'", config, null, new SilentCallbacks("wrong", "wrong"), null)) {
            client.start();
            assertThatThrownBy(() -> client.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MailmanException.class);
            assertThat(client.state()).isEqualTo(REFUSED);
            client.close();
            assertThat(client.state()).isEqualTo(CLOSED);
        } finally {
            mailman.close();
        }
    }

    @Test
    void aClosedClientNeverConnectsAgain() throws Exception {
        // A port that accepts and hangs up: the client would be back within a reconnect interval, were it not closed.
        long intervalMs = 500;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) WAIT.toMillis());
            NetworkConfig config = NetworkConfig.builder().port(server.getLocalPort()).reconnectInterval(Duration.ofMillis(intervalMs))
                    .build();
            // A shared loop, which outlives the client: only the client's state can stop it reconnecting.
            EventLoopGroup group = new NioEventLoopGroup(1);
            try {
                ClientConnection client = new ClientConnection("processor 'closed'", config, group, new SilentCallbacks("closed", ""), null);
                client.start();
                server.accept().close();
                server.accept().close(); // it reconnects while it is open...
                // ...and is closed with its next attempt scheduled:
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> client.state() == WAITING_TO_RECONNECT);
                client.close();
                assertThat(client.state()).isEqualTo(CLOSED);
                server.setSoTimeout((int) (6 * intervalMs));
                // That attempt never comes (the one before it was accepted: none is left in the backlog).
                try {
                    server.accept().close();
                    throw new AssertionError("a closed client connected again");
                } catch (SocketTimeoutException expected) {
                    // nobody came
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }
}
