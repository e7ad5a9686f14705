package io.audiosockets.http;

import static io.audiosockets.testkit.Wire.expectError;
import static io.audiosockets.testkit.Wire.items;
import static io.audiosockets.testkit.Wire.processor;
import static io.audiosockets.testkit.Wire.produce;
import static io.audiosockets.testkit.Wire.recorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiosockets.config.Security;
import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.mailman.Mailman;
import io.audiosockets.protocol.ErrorCode;
import io.audiosockets.protocol.StartPosition;
import io.audiosockets.testkit.LogCapture;
import io.audiosockets.testkit.MailmanFixture;
import io.audiosockets.testkit.RawClient;
import io.audiosockets.testkit.TestConfigs;
import io.audiosockets.testkit.Wire;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mailman's HTTP side over real loopback sockets: {@code /api/status} field by field against
 * what raw clients did, the answers to unknown paths and methods, the token on every request and
 * on the dashboard's WebSocket, HTTPS with the mailman's certificate, and memory that stays
 * bounded while an HTTP client or a dashboard stops reading.
 */
@Timeout(180)
class MailmanHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * How much Netty's pooled allocator may grow while a client holds: what is queued for a connection is encoded into
     * its buffers (it grows by chunks of 4 MiB). Measured: 0 with the bounds in place, 16 MiB within 40 s without.
     */
    private static final long POOLS_BOUND = 8L * 1024 * 1024;
    /** How much the heap may grow meanwhile (the test's own clients and the GC's slack: about 6 MiB measured). */
    private static final long HEAP_BOUND = 16L * 1024 * 1024;
    /**
     * The same with dashboards open: also the spectrogram state of each stream, made when the first dashboard opens
     * (14 MiB measured with 40 streams; a fixed cost, not growth).
     */
    private static final long DASHBOARD_HEAP_BOUND = 32L * 1024 * 1024;
    /** What the dashboard that reads gets while the other stalls: far more than the bounds and the sockets' buffers. */
    // A dashboard reads a stream's new audio, so the feed carries about 5 KiB a second per stream: 40 streams send this
    // in about 20 s, well beyond what the stalled dashboard's watermark (512 KiB) and socket buffers hold.
    private static final long FEED_BYTES = 4L * 1024 * 1024;

    @RegisterExtension
    final MailmanFixture fixture = MailmanFixture.virtualTime();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MailmanHttp serve(Mailman mailman) {
        return fixture.track(MailmanHttp.start(mailman, "127.0.0.1", 0));
    }

    @Test
    void apiStatusReportsWhatTheClientsDidFieldByField() throws Exception {
        Mailman mailman = fixture.mailman();
        MailmanHttp web = serve(mailman);
        RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.OLDEST, "mic"));
        RawClient mic = fixture.track(recorder(mailman.port(), "mic"));
        produce(mic, "mic", 0, 9);
        assertThat(items(p, 10)).hasSize(10);
        p.send(new Ack("mic", 5));
        RawClient bad = fixture.track(new RawClient(mailman.port()));
        bad.send(new Hello(Role.PROCESSOR.code(), "no spaces allowed", 1, "", 64, StartPosition.RESUME, List.of(), Map.of()));
        expectError(bad, ErrorCode.INVALID_NAME);

        // The ACK and the refusal reach the mailman's loops on their own time: wait for them, read through HTTP.
        JsonNode s = await().atMost(PATIENCE).until(() -> status(web),
                st -> st.at("/processors/0/streams/0/acked_seq").asLong() == 5 && st.at("/totals/refused").asLong() == 1);

        Instant takenAt = Instant.parse(s.path("taken_at").asText());
        assertThat(takenAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(s.path("server").asText()).isNotBlank();
        assertThat(s.path("uptime_seconds").isNumber()).isTrue();

        JsonNode totals = s.path("totals");
        assertThat(totals.path("connections").asLong()).as("processor, recorder, refused client").isEqualTo(3);
        assertThat(totals.path("chunks_in").asLong()).isEqualTo(10);
        assertThat(totals.path("duplicates").asLong()).isZero();
        assertThat(totals.path("chunks_replayed").asLong()).isZero();
        assertThat(totals.path("deliveries").asLong()).isEqualTo(10);
        assertThat(totals.path("gaps").asLong()).isZero();
        assertThat(totals.path("gap_chunks").asLong()).isZero();
        assertThat(totals.path("refused").asLong()).isEqualTo(1);
        assertThat(totals.path("protocol_errors").asLong()).as("the refused HELLO's connection, closed with its ERROR").isEqualTo(1);
        assertThat(totals.path("streams_forgotten").asLong()).isZero();
        assertThat(totals.path("budget_evictions").asLong()).isZero();
        long frameBytes = Wire.audio("mic", 0).length; // every test chunk encodes to the same size
        assertThat(totals.path("retained_bytes").asLong()).isPositive();
        assertThat(totals.path("retained_memory_bytes").asLong()).as("the slabs that hold them")
                .isGreaterThanOrEqualTo(totals.path("retained_bytes").asLong());

        assertThat(s.path("streams")).hasSize(1);
        JsonNode st = s.path("streams").get(0);
        assertThat(st.path("name").asText()).isEqualTo("mic");
        assertThat(st.path("kind").asText()).isEqualTo("audio");
        assertThat(st.path("recorder_connected").asBoolean()).isTrue();
        assertThat(st.path("chunks_in").asLong()).isEqualTo(10);
        assertThat(st.path("bytes_in").asLong()).isEqualTo(10 * frameBytes);
        assertThat(st.path("chunks_per_second").asDouble()).as("10 chunks in the 2 s window").isEqualTo(5.0);
        assertThat(st.path("last_seq").asLong()).isEqualTo(9);
        assertThat(st.path("oldest_seq").asLong()).isZero();
        assertThat(st.path("retained_chunks").asLong()).isEqualTo(10);
        assertThat(st.path("retained_bytes").asLong()).isEqualTo(totals.path("retained_bytes").asLong());
        assertThat(st.path("retained_seconds").asDouble()).isCloseTo(0.1, Offset.offset(1e-9));
        assertThat(st.path("seconds_since_last_chunk").asDouble()).as("virtual time stands still").isZero();
        assertThat(st.path("sample_rate").asInt()).isEqualTo(16_000);
        assertThat(st.path("channels").asInt()).isEqualTo(1);

        assertThat(s.path("recorders")).hasSize(1);
        JsonNode r = s.path("recorders").get(0);
        assertThat(r.path("stream").asText()).isEqualTo("mic");
        assertThat(r.path("remote_address").asText()).startsWith("127.0.0.1:");
        assertThat(Instant.parse(r.path("connected_at").asText())).isBeforeOrEqualTo(takenAt);
        assertThat(r.path("chunks_received").asLong()).isEqualTo(10);
        assertThat(r.path("acked_seq").asLong()).isEqualTo(9);

        assertThat(s.path("processors")).hasSize(1);
        JsonNode pr = s.path("processors").get(0);
        assertThat(pr.path("name").asText()).isEqualTo("p");
        assertThat(pr.path("remote_address").asText()).startsWith("127.0.0.1:");
        assertThat(Instant.parse(pr.path("connected_at").asText())).isBeforeOrEqualTo(takenAt);
        assertThat(pr.path("window").asInt()).isEqualTo(64);
        assertThat(pr.path("subscriptions")).extracting(JsonNode::asText).containsExactly("mic");
        assertThat(pr.path("delivered").asLong()).isEqualTo(10);
        assertThat(pr.path("gaps").asLong()).isZero();
        assertThat(pr.path("gap_chunks").asLong()).isZero();
        assertThat(pr.path("lag_chunks").asLong()).as("6..9 not acknowledged").isEqualTo(4);
        assertThat(pr.path("lag_seconds").asDouble()).isZero();
        assertThat(pr.path("streams")).hasSize(1);
        JsonNode c = pr.path("streams").get(0);
        assertThat(c.path("stream").asText()).isEqualTo("mic");
        assertThat(c.path("next_seq").asLong()).isEqualTo(10);
        assertThat(c.path("acked_seq").asLong()).isEqualTo(5);
        assertThat(c.path("in_flight").asLong()).isEqualTo(4);
        assertThat(c.path("lag_chunks").asLong()).isEqualTo(4);
        assertThat(c.path("lag_seconds").asDouble()).isZero();

        assertThat(s.path("events")).extracting(e -> e.path("kind").asText())
                .containsExactly("PROCESSOR_JOINED", "RECORDER_JOINED", "REFUSED");
        JsonNode joined = s.path("events").get(0);
        assertThat(joined.path("client").asText()).isEqualTo("p");
        assertThat(Instant.parse(joined.path("at").asText())).isBeforeOrEqualTo(takenAt);
        assertThat(s.path("events").get(1).path("stream").asText()).isEqualTo("mic");
        assertThat(s.path("events").get(2).path("message").asText()).startsWith("INVALID_NAME: ");

        // Time passes with nothing acknowledged: the processor's lag in seconds is its oldest unacknowledged chunk's wait.
        fixture.ticker().advance(Duration.ofSeconds(3));
        JsonNode later = status(web);
        assertThat(later.at("/processors/0/lag_seconds").asDouble()).isCloseTo(3.0, Offset.offset(1e-9));
        assertThat(later.at("/processors/0/streams/0/lag_seconds").asDouble()).isCloseTo(3.0, Offset.offset(1e-9));
        assertThat(later.at("/streams/0/seconds_since_last_chunk").asDouble()).isCloseTo(3.0, Offset.offset(1e-9));

        HttpResponse<String> raw = get(web.base() + "/api/status");
        assertThat(raw.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(raw.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void anUnknownPathIs404AndAPostIs405() throws Exception {
        MailmanHttp web = serve(fixture.mailman());
        HttpResponse<String> missing = get(web.base() + "/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/nothing-here", "/metrics", "/api/status");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(web.base() + "/api/status"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(post.body()).contains("POST");

        assertThat(get(web.base() + "/").statusCode()).as("the dashboard page").isEqualTo(200);
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderSent() throws Exception {
        MailmanHttp web = serve(fixture.mailman());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", web.port()), 5_000);
            s.setSoTimeout(30_000);
            // One write: the mailman reads them together. /api/status is answered later than a 404 is made.
            s.getOutputStream().write(("GET /api/status HTTP/1.1\r\nHost: m\r\n\r\nGET /nothing HTTP/1.1\r\nHost: m\r\n\r\n"
                    + "GET /metrics HTTP/1.1\r\nHost: m\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String first = readHeaders(in);
            assertThat(first).as("the answer to /api/status").startsWith("HTTP/1.1 200").contains("application/json");
            in.readNBytes(contentLength(first));
            String second = readHeaders(in);
            assertThat(second).as("the answer to /nothing").startsWith("HTTP/1.1 404");
            in.readNBytes(contentLength(second));
            String third = readHeaders(in);
            assertThat(third).as("the answer to /metrics").startsWith("HTTP/1.1 200").contains("version=0.0.4");
            assertThat(new String(in.readNBytes(contentLength(third)), StandardCharsets.UTF_8)).contains("audiosockets_chunks_in_total");
        }
    }

    @Test
    void withATokenEveryRequestAndTheWebSocketMustPresentIt() throws Exception {
        String token = "s3cret-token";
        Mailman mailman = fixture.start(TestConfigs.fast().security(Security.NONE.withTokens(token, "", "")));
        MailmanHttp web = serve(mailman);
        assertThat(web.url()).endsWith("/?token=" + token);

        HttpResponse<String> none = get(web.base() + "/api/status");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.body()).contains("token").doesNotContain(token);
        assertThat(get(web.base() + "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(web.base() + "/metrics?token=wrong").statusCode()).isEqualTo(401);
        assertThat(get(web.base() + "/").statusCode()).as("the dashboard page too").isEqualTo(401);

        HttpResponse<String> bearer = get(web.base() + "/api/status", "Authorization", "Bearer " + token);
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(bearer.body()).path("streams").isArray()).isTrue();
        assertThat(get(web.base() + "/metrics?token=" + token).statusCode()).isEqualTo(200);

        URI ws = URI.create(web.base().replace("http:", "ws:") + "/ws");
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(ws, new Collect()).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(URI.create(ws + "?token=wrong"), new Collect()).join())
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));

        Collect feed = new Collect();
        WebSocket open = http.newWebSocketBuilder().buildAsync(URI.create(ws + "?token=" + token), feed).get(30, TimeUnit.SECONDS);
        try {
            // The status is read from the mailman's loops without waiting: a level message may come first.
            String first = feed.next();
            if (!first.contains("\"type\":\"status\"")) {
                assertThat(first).contains("\"type\":\"audio\"");
                first = feed.next();
            }
            assertThat(first).as("the status, among the first messages to a dashboard").contains("\"type\":\"status\"");
        } finally {
            open.abort();
        }
    }

    @Test
    void withTlsItSpeaksHttpsWithTheMailmansCertificate() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        try {
            Security tls = Security.NONE.withTls(false, Optional.of(cert.certificate().toPath()), Optional.of(cert.privateKey().toPath()),
                    Optional.empty(), Optional.empty());
            Mailman mailman = fixture.start(TestConfigs.fast().security(tls));
            MailmanHttp web = serve(mailman);
            assertThat(web.base()).startsWith("https://");

            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("mailman", cert.cert());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient trusting = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
            // The certificate names localhost: ask for that name so that the client checks it.
            String base = "https://localhost:" + web.port();

            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).timeout(PATIENCE).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).has("totals")).isTrue();

            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString())).as("a client that does not trust the certificate")
                    .isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/status"))
                    .build(), HttpResponse.BodyHandlers.ofString())).as("plain HTTP to the HTTPS port").isInstanceOf(IOException.class);
        } finally {
            cert.delete();
        }
    }

    @Test
    void aClientThatPipelinesRequestsWithoutReadingIsNotReadEitherAndOthersAreServed() throws Exception {
        Mailman mailman = fixture.mailman();
        MailmanHttp web = serve(mailman);
        int metricsBytes = get(web.base() + "/metrics").body().length();
        Memory before = Memory.now();

        int requests = 5000;
        byte[] one = "GET /metrics HTTP/1.1\r\nHost: mailman\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < requests; i++) {
            all.writeBytes(one);
        }
        // Unbounded, these requests would queue requests x metricsBytes of answers in the mailman.
        assertThat((long) requests * metricsBytes).as("what an unbounded server would hold").isGreaterThan(2 * HEAP_BOUND);
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(8 * 1024);
            slow.connect(new InetSocketAddress("127.0.0.1", web.port()), 5_000);
            slow.setSoTimeout(60_000);
            // The writes block once the mailman stops reading: from a thread of their own.
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = slow.getOutputStream();
                    out.write(all.toByteArray());
                    out.flush();
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });

            // Others are served meanwhile, by HTTP and on the audio port. The probe's scrape queues behind the slow client's.
            assertThat(get(web.base() + "/metrics").statusCode()).isEqualTo(200);
            RawClient p = fixture.track(processor(mailman.port(), "p", StartPosition.OLDEST, "mic"));
            RawClient mic = fixture.track(recorder(mailman.port(), "mic"));
            produce(mic, "mic", 0, 9);
            assertThat(items(p, 10)).hasSize(10);
            assertThat(status(web).at("/streams/0/chunks_in").asLong()).isEqualTo(10);

            Memory.Most most = new Memory.Most();
            await("memory to stay bounded while the client holds").atMost(PATIENCE)
                    .during(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(300))
                    .until(() -> most.within(Memory.now().minus(before)));
            System.out.printf("slow HTTP client: %d requests pipelined (%d bytes each answer); while it held, %s%n", requests,
                    metricsBytes, most);

            // It reads at last: every request is answered, in order, and the writer gets through.
            InputStream in = slow.getInputStream();
            for (int i = 0; i < requests; i++) {
                assertThat(readResponse(in)).as("answer %d", i).startsWith("# HELP");
            }
            sent.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDashboardThatNeverReadsIsSkippedWhileOthersGetTheFeed() throws Exception {
        // RETENTION_BYTES holds what the mailman keeps of each stream to 1 MiB (time stands still here), so that once
        // every stream has that much, what could grow is the dashboards'.
        Mailman mailman = fixture.start(TestConfigs.fast().maxFrameBytes(64 * 1024).retentionBytes(1024 * 1024));
        MailmanHttp web = serve(mailman);
        // Streams with audio flowing make the feed's messages: levels and spectrogram columns every 100 ms.
        int streams = 40;
        int frames = 1600; // 100 ms chunks
        AtomicBoolean stop = new AtomicBoolean();
        List<RawClient> mics = new java.util.ArrayList<>();
        for (int i = 0; i < streams; i++) {
            mics.add(fixture.track(recorder(mailman.port(), "mic" + i)));
        }
        CompletableFuture<Void> audio = CompletableFuture.runAsync(() -> {
            try {
                for (long seq = 0; !stop.get(); seq += 10) {
                    for (int i = 0; i < streams; i++) {
                        produce(mics.get(i), "mic" + i, seq, seq + 9, frames);
                    }
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
        try (LogCapture logs = new LogCapture()) {
            await("every stream's retention to be full").atMost(PATIENCE).until(() -> {
                JsonNode all = status(web).path("streams");
                return all.size() == streams && java.util.stream.StreamSupport.stream(all.spliterator(), false)
                        .allMatch(st -> st.path("oldest_seq").asLong() > 0);
            });
            Memory before = Memory.now();
            Collect watcher = new Collect();
            WebSocket good = http.newWebSocketBuilder().buildAsync(URI.create(web.base().replace("http:", "ws:") + "/ws"), watcher)
                    .get(30, TimeUnit.SECONDS);
            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(8 * 1024);
                stalled.connect(new InetSocketAddress("127.0.0.1", web.port()), 5_000);
                stalled.setSoTimeout(30_000);
                stalled.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: mailman\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String handshake = readHeaders(stalled.getInputStream());
                assertThat(handshake).startsWith("HTTP/1.1 101").contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
                // From here the stalled dashboard reads nothing.

                AtomicLong bytes = new AtomicLong();
                Memory.Most most = new Memory.Most(DASHBOARD_HEAP_BOUND);
                // Long enough for the feed to send far more than the bounds and the sockets' buffers (4 MiB at most on
                // Linux's defaults) together to the dashboard that reads.
                await("the reading dashboard to get " + FEED_BYTES + " bytes while memory stays bounded")
                        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                            String m;
                            while ((m = watcher.messages.poll()) != null) {
                                bytes.addAndGet(m.length());
                            }
                            assertThat(most.within(Memory.now().minus(before))).as("memory within bounds: %s", most).isTrue();
                            return bytes.get() > FEED_BYTES;
                        });
                System.out.printf("stalled dashboard: the reading one got %d KiB meanwhile; %s%n", bytes.get() / 1024, most);
            } finally {
                good.abort();
            }
            await().atMost(PATIENCE).until(() -> logs.messages().stream().anyMatch(m -> m.startsWith("last dashboard closed")));
            String closed = logs.messages().stream().filter(m -> m.startsWith("last dashboard closed")).findFirst().orElseThrow();
            Matcher skipped = Pattern.compile("\\((\\d+) messages skipped").matcher(closed);
            assertThat(skipped.find()).as(closed).isTrue();
            assertThat(Long.parseLong(skipped.group(1))).as("messages the stalled dashboard skipped").isPositive();
        } finally {
            stop.set(true);
            audio.get(30, TimeUnit.SECONDS);
        }
    }

    // --- helpers

    private JsonNode status(MailmanHttp web) throws IOException, InterruptedException {
        HttpResponse<String> r = get(web.base() + "/api/status");
        assertThat(r.statusCode()).as("GET /api/status: %s", r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(PATIENCE);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The heap in use after a collection, and what Netty's pooled allocator holds. */
    private record Memory(long heap, long pools) {
        static Memory now() {
            System.gc();
            PooledByteBufAllocatorMetric netty = PooledByteBufAllocator.DEFAULT.metric();
            return new Memory(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                    netty.usedDirectMemory() + netty.usedHeapMemory());
        }

        Memory minus(Memory m) {
            return new Memory(heap - m.heap, pools - m.pools);
        }

        /** The most each grew, across samples. */
        static final class Most {
            private final long heapBound;
            private long heap;
            private long pools;

            Most() {
                this(HEAP_BOUND);
            }

            Most(long heapBound) {
                this.heapBound = heapBound;
            }

            /** Records {@code grown}; whether it is within the heap bound and {@link #POOLS_BOUND}. */
            synchronized boolean within(Memory grown) {
                heap = Math.max(heap, grown.heap);
                pools = Math.max(pools, grown.pools);
                return grown.heap < heapBound && grown.pools < POOLS_BOUND;
            }

            @Override
            public synchronized String toString() {
                return "the heap grew by at most " + heap / 1024 + " KiB and Netty's pools by " + pools / 1024 + " KiB";
            }
        }
    }

    /** An HTTP response's headers, up to the empty line, read byte by byte so that nothing after them is taken. */
    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        while (!s.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + s);
            }
            s.append((char) b);
        }
        return s.toString();
    }

    /** One response with a Content-Length; returns its body. */
    private static String readResponse(InputStream in) throws IOException {
        String headers = readHeaders(in);
        assertThat(headers).startsWith("HTTP/1.1 200");
        return new String(in.readNBytes(contentLength(headers)), StandardCharsets.UTF_8);
    }

    private static int contentLength(String headers) {
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
        assertThat(m.find()).as(headers).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** A WebSocket listener that keeps the text messages. */
    private static final class Collect implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String m = messages.poll(30, TimeUnit.SECONDS);
            assertThat(m).as("a message within 30 s").isNotNull();
            return m;
        }
    }
}
