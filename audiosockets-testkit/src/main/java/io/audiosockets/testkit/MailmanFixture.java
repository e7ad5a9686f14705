package io.audiosockets.testkit;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real mailman on a free loopback port for each test, with the clients the test tracks closed
 * after it, newest first, and then the mailman. Register with
 * {@code @RegisterExtension final MailmanFixture fixture = new MailmanFixture();}.
 */
public final class MailmanFixture implements BeforeEachCallback, AfterEachCallback {
    private final Closer closer = new Closer();
    private Mailman mailman;
    private NetworkConfig client;

    @Override
    public void beforeEach(ExtensionContext context) {
        mailman = new Mailman(TestConfigs.fast().build()).startAsync();
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

    /** Closes {@code c} after the test, before the mailman. */
    public <T extends AutoCloseable> T track(T c) {
        return closer.track(c);
    }
}
