package io.audiosockets.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.testkit.Closer;
import io.audiosockets.testkit.CollectingProcessor;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding: the Java processor now always sends a version-2 HELLO (BaseProcessor.Callbacks.hello),
 * and has no option to send version 1. A mailman of the previous release (version 1 only) answers
 * ERROR UNSUPPORTED_VERSION, which the client takes as fatal: an upgraded processor, or the
 * `audiosockets process` command, can no longer reach a not-yet-upgraded mailman, although it needs
 * nothing of version 2 (PROTOCOL.md §7: "to reach such a mailman it must send a version-1 HELLO";
 * the Python client has protocol_version for it, the Java one has nothing).
 */
@Timeout(60)
class ProcessorReachesVersion1MailmanTest {
    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aProcessorThatNeedsNoResultStreamsReachesAVersion1Mailman() throws Exception {
        try (ServerSocket v1 = new ServerSocket(0)) {
            CompletableFuture<Integer> helloVersions = new CompletableFuture<>();
            Thread mailman = new Thread(() -> {
                // Behaves as the version-1 codec did: any version byte but 1 is UNSUPPORTED_VERSION.
                while (!v1.isClosed()) {
                    try (Socket s = v1.accept()) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        byte[] header = new byte[8];
                        in.readFully(header);
                        int version = header[2] & 0xFF;
                        if (version != 1) {
                            s.getOutputStream().write(RawClient.encode(new ErrorMessage(ErrorCode.UNSUPPORTED_VERSION,
                                    "protocol version " + version + " is not supported (this peer speaks version 1)")));
                            s.getOutputStream().flush();
                            continue;
                        }
                        helloVersions.complete(version);
                        in.readFully(new byte[(int) (((header[4] & 0xFFL) << 24) | ((header[5] & 0xFFL) << 16)
                                | ((header[6] & 0xFFL) << 8) | (header[7] & 0xFFL))]);
                        s.getOutputStream().write(RawClient.encode(new Welcome("v1", 1, 4 << 20, 5000, -1)));
                        s.getOutputStream().flush();
                        in.read(); // hold the connection until the client leaves
                    } catch (IOException e) {
                        // next client, or closed
                    }
                }
            }, "v1-mailman");
            mailman.setDaemon(true);
            mailman.start();
            NetworkConfig config = TestConfigs.fast().port(v1.getLocalPort()).build();
            CollectingProcessor p = closer.track(new CollectingProcessor(ProcessorOptions.builder("p").config(config).build()));
            p.startAsync();
            CompletableFuture.anyOf(p.connected(), p.terminated()).exceptionally(e -> null).get(20, TimeUnit.SECONDS);
            assertThat(p.terminated().isCompletedExceptionally())
                    .as("the processor gave up for good on the version-1 mailman's UNSUPPORTED_VERSION").isFalse();
            assertThat(helloVersions.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }
}
