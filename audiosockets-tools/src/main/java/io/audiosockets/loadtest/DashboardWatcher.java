package io.audiosockets.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench --watch}: watches a mailman as its users would while it is measured, with the
 * JDK's own clients: a dashboard open on {@code /ws}, reading every message as it comes, and
 * {@code /metrics} scraped every second, as Prometheus would. Counts what it receives from
 * {@link #mark()} on, for {@link #result()}.
 *
 * <p>The WebSocket's listener runs on the HTTP client's threads, the scrapes on a thread of their
 * own ("bench-watch-scrape"); {@link #mark()}, {@link #result()} and {@link #close()} from the
 * benchmark's thread.
 */
final class DashboardWatcher implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long SCRAPE_EVERY_MILLIS = 1000;

    private final ExecutorService httpThreads;
    private final HttpClient client;
    private final HttpRequest metrics;
    private final ScheduledExecutorService scraper;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong status = new AtomicLong();
    private final AtomicLong audio = new AtomicLong();
    private final AtomicLong chars = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong metricsBytes = new AtomicLong();
    private final List<Long> scrapeNanos = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> firstMessage = new CompletableFuture<>();
    private volatile boolean closedByPeer;
    private WebSocket socket;
    private long[] marked = new long[5];

    private DashboardWatcher(ExecutorService httpThreads, HttpClient client, HttpRequest metrics) {
        this.httpThreads = httpThreads;
        this.client = client;
        this.metrics = metrics;
        this.scraper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-watch-scrape");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens a dashboard on the HTTP side at {@code base} ({@code http://host:port}) and starts
     * scraping its {@code /metrics}; returns once the dashboard has its first message.
     *
     * @param token the token the HTTP side requires, or "" for none
     * @throws IOException if the WebSocket cannot be opened or nothing arrives on it within 10 s
     */
    static DashboardWatcher open(String base, String token) throws IOException, InterruptedException {
        // Threads of our own, so that close() ends them (a Java 17 HttpClient cannot be closed).
        ExecutorService httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-watch-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).executor(httpThreads).build();
        HttpRequest.Builder metrics = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(TIMEOUT).GET();
        WebSocket.Builder ws = client.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (!token.isEmpty()) {
            metrics.header("Authorization", "Bearer " + token);
            ws.header("Authorization", "Bearer " + token);
        }
        DashboardWatcher w = new DashboardWatcher(httpThreads, client, metrics.build());
        URI wsUri = URI.create(base.replaceFirst("^http", "ws") + "/ws");
        try {
            w.socket = ws.buildAsync(wsUri, w.new Listener()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            w.firstMessage.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            w.close();
            throw new IOException("--watch: could not open the mailman's dashboard at " + wsUri + " (" + e + ")", e);
        } catch (InterruptedException e) {
            w.close();
            throw e;
        }
        w.scraper.scheduleAtFixedRate(w::scrape, 0, SCRAPE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        return w;
    }

    private void scrape() {
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.send(metrics, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - t0;
            if (r.statusCode() == 200) {
                metricsBytes.set(r.body().length);
                scrapeNanos.add(took);
            } else {
                failures.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The start of the measured interval: {@link #result()} counts from here. */
    void mark() {
        marked = new long[] {messages.get(), status.get(), audio.get(), chars.get(), failures.get()};
        scrapeNanos.clear();
    }

    /** What was received since {@link #mark()}. */
    WatchResult result() {
        List<Long> times;
        synchronized (scrapeNanos) {
            times = new ArrayList<>(scrapeNanos);
        }
        Collections.sort(times);
        double p50 = times.isEmpty() ? -1 : times.get(times.size() / 2) / 1e6;
        double max = times.isEmpty() ? -1 : times.get(times.size() - 1) / 1e6;
        return new WatchResult(messages.get() - marked[0], status.get() - marked[1], audio.get() - marked[2],
                Math.round((chars.get() - marked[3]) / 100.0) / 10.0, times.size(), failures.get() - marked[4],
                Math.round(metricsBytes.get() / 100.0) / 10.0, Math.round(p50 * 1000) / 1000.0, Math.round(max * 1000) / 1000.0,
                !closedByPeer);
    }

    /** Stops scraping and closes the dashboard. */
    @Override
    public void close() {
        scraper.shutdownNow();
        if (socket != null) {
            socket.abort();
        }
        httpThreads.shutdownNow();
    }

    /** Reads every message, one at a time, as a browser's dashboard would. */
    private final class Listener implements WebSocket.Listener {
        private boolean inMessage;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!inMessage) {
                // The feed writes "type" first: {"type":"status",... or {"type":"audio",...
                String head = data.subSequence(0, Math.min(20, data.length())).toString();
                if (head.startsWith("{\"type\":\"status\"")) {
                    status.incrementAndGet();
                } else if (head.startsWith("{\"type\":\"audio\"")) {
                    audio.incrementAndGet();
                }
            }
            chars.addAndGet(data.length());
            inMessage = !last;
            if (last) {
                messages.incrementAndGet();
                firstMessage.complete(null);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closedByPeer = true;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closedByPeer = true;
            firstMessage.completeExceptionally(error);
        }
    }
}
