package io.audiosockets.kafka;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real broker the Kafka test classes share ({@code @RegisterExtension static}): started once
 * per test JVM, before the first class that needs it, and killed when the JVM exits (the fixture's
 * reaper); a class finds it running, started again if a test before it left it stopped. Each class
 * uses topics and groups of its own. Sharing it saves a format and a start (5 to 15 s) per class.
 * A test that stops or restarts it must leave it running.
 */
final class KafkaBrokerExtension implements BeforeAllCallback {
    private static KafkaBroker shared;

    /** The running broker. */
    KafkaBroker broker() {
        return shared;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (KafkaBrokerExtension.class) {
            if (shared == null) {
                shared = KafkaBroker.startNew();
            } else if (!shared.isRunning()) {
                shared.start();
            }
        }
    }
}
