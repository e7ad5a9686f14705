package io.audiosockets.testkit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test tracks after it, newest first, whatever the test left open: for tests that
 * start their own mailmen, proxies and clients. Register with
 * {@code @RegisterExtension final Closer closer = new Closer();}.
 */
public final class Closer implements AfterEachCallback {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Closes {@code c} after the test; returns it. */
    public <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // closed by the test already
            }
        }
        closeables.clear();
    }
}
