package io.audiosockets.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real broker for a test class ({@code @RegisterExtension static}): started before its first
 * test, closed (killed, its data deleted) after its last. Tests that stop or restart it must leave
 * it running.
 */
final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private KafkaBroker broker;

    /** The running broker. */
    KafkaBroker broker() {
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = KafkaBroker.startNew();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }
}
