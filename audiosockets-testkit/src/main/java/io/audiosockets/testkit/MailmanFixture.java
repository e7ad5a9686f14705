package io.audiosockets.testkit;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.mailman.Ticker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real mailman on a free loopback port for each test, with the clients the test tracks closed
 * after it, newest first, and then the mailman. Register with
 * {@code @RegisterExtension final MailmanFixture fixture = new MailmanFixture();}, or with
 * {@link #virtualTime()} for a mailman whose retention passes only as the test advances its
 * {@link #ticker()}.
 */
public final class MailmanFixture implements BeforeEachCallback, AfterEachCallback {
    private final Closer closer = new Closer();
    /** Null on real time. */
    private final VirtualTicker virtual;
    private Mailman mailman;
    private NetworkConfig client;

    /** A fixture whose mailman reads the system clock. */
    public MailmanFixture() {
        this(null);
    }

    private MailmanFixture(VirtualTicker virtual) {
        this.virtual = virtual;
    }

    /**
     * A fixture whose mailmans read a {@link VirtualTicker} (one for the test class instance,
     * shared by every mailman it starts): a stream whose recorder left is forgotten only once the
     * test has advanced it by the retention.
     */
    public static MailmanFixture virtualTime() {
        return new MailmanFixture(new VirtualTicker());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        mailman = newMailman(TestConfigs.fast());
        client = TestConfigs.clientOf(mailman.config(), mailman.port());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closer.afterEach(context);
        mailman.close();
    }

    /** The running mailman. */
    public Mailman mailman() {
        return mailman;
    }

    /** The configuration clients use to reach it. */
    public NetworkConfig client() {
        return client;
    }

    /**
     * The time the mailmans of a {@link #virtualTime()} fixture read; advance it to let time pass.
     *
     * @throws IllegalStateException on a fixture made with {@code new MailmanFixture()}, which reads the system clock
     */
    public VirtualTicker ticker() {
        if (virtual == null) {
            throw new IllegalStateException("this MailmanFixture reads the system clock; register MailmanFixture.virtualTime() "
                    + "to advance the time by hand");
        }
        return virtual;
    }

    /**
     * Starts another mailman with {@code config} (a test that needs its own retention or limits)
     * on this fixture's time, closed after the test like the clients, in the order tracked.
     */
    public Mailman start(NetworkConfig.Builder config) {
        return track(newMailman(config));
    }

    /** Closes {@code c} after the test, before the mailman. */
    public <T extends AutoCloseable> T track(T c) {
        return closer.track(c);
    }

    private Mailman newMailman(NetworkConfig.Builder config) {
        Ticker ticker = virtual == null ? Ticker.system() : virtual;
        return new Mailman(config.build(), ticker).startAsync();
    }
}
