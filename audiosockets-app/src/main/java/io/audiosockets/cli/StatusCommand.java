package io.audiosockets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiosockets.config.Monitoring;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.http.MailmanHttp;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audiosockets status}: what a running mailman holds, as tables in the terminal: its
 * streams, processors (how far behind each is) and recent events, read from its
 * {@code /api/status}. {@code --watch} redraws every second, like {@code watch}.
 */
@Command(name = "status", description = "Show a running mailman's streams, processors (with their lag) and recent events, "
        + "from its HTTP side (HTTP_PORT, or server --http-port).")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The mailman's config file: its HTTP_PORT, HTTP_HOST and token say where to ask.")
    Path configFile;

    @Option(names = "--url", paramLabel = "URL", description = "The mailman's HTTP side, e.g. http://127.0.0.1:8080 (overrides the config).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The token, if the mailman requires one (default: the config's, "
            + "or AUDIOSOCKETS_TOKEN).")
    String token;

    @Option(names = "--watch", description = "Redraw every second until Ctrl-C.")
    boolean watch;

    @Option(names = "--events", paramLabel = "N", defaultValue = "10", description = "Recent events shown. Default: ${DEFAULT-VALUE}.")
    int events;

    @Override
    public Integer call() throws Exception {
        NetworkConfig config = NetworkOptions.base(configFile).build();
        Monitoring m = config.monitoring();
        String base = url != null ? url.replaceAll("/+$", "") : m.httpEnabled() && m.httpPort() > 0
                ? "http://" + (m.httpHost().equals("0.0.0.0") ? "127.0.0.1" : m.httpHost()) + ":" + m.httpPort() : null;
        if (base == null) {
            throw new IllegalArgumentException("where is the mailman's HTTP side? Give --url http://HOST:PORT, or -c with the "
                    + "mailman's config (HTTP_PORT); start the mailman with --http-port PORT");
        }
        String secret = token != null ? token : MailmanHttp.tokenFor(config.security());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/status")).timeout(Duration.ofSeconds(10));
        if (!secret.isEmpty()) {
            request.header("Authorization", "Bearer " + secret);
        }
        PrintWriter out = spec.commandLine().getOut();
        do {
            JsonNode status = fetch(client, request.build(), base);
            if (watch) {
                out.print("\033[H\033[2J"); // home and clear, as watch(1) does
            }
            render(status, events, out);
            out.flush();
            if (watch) {
                Thread.sleep(1000);
            }
        } while (watch);
        return 0;
    }

    private static JsonNode fetch(HttpClient client, HttpRequest request, String base) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("no mailman HTTP side at " + base + " (connection refused): is the mailman running with "
                    + "--http-port (or HTTP_PORT), and is that its port?", e);
        }
        if (r.statusCode() == 401) {
            throw new IOException(base + " requires the mailman's token: give --token, or -c with its config");
        }
        if (r.statusCode() != 200) {
            throw new IOException(base + "/api/status answered HTTP " + r.statusCode() + ": " + r.body().strip());
        }
        return JSON.readTree(r.body());
    }

    /** The status as three tables and a list of events. */
    static void render(JsonNode s, int events, PrintWriter out) {
        out.printf(Locale.ROOT, "%s, up %s, %d streams, %d processors, %d chunks in, %d delivered, %d gaps%n",
                s.path("server").asText(), duration(s.path("uptime_seconds").asDouble()), s.path("streams").size(),
                s.path("processors").size(), s.path("totals").path("chunks_in").asLong(),
                s.path("totals").path("deliveries").asLong(), s.path("totals").path("gaps").asLong());
        out.println();
        List<String[]> streams = new ArrayList<>();
        streams.add(new String[] {"STREAM", "KIND", "RECORDER", "CHUNKS/S", "LAST SEQ", "HELD", "LAST CHUNK"});
        for (JsonNode st : s.path("streams")) {
            double since = st.path("seconds_since_last_chunk").asDouble();
            streams.add(new String[] {st.path("name").asText(), st.path("kind").asText(),
                    st.path("recorder_connected").asBoolean() ? "connected" : "gone",
                    String.format(Locale.ROOT, "%.1f", st.path("chunks_per_second").asDouble()), st.path("last_seq").asText(),
                    String.format(Locale.ROOT, "%.1f s", st.path("retained_seconds").asDouble()),
                    since < 0 ? "-" : duration(since) + " ago"});
        }
        table(streams, out);
        out.println();
        List<String[]> processors = new ArrayList<>();
        processors.add(new String[] {"PROCESSOR", "STREAMS", "DELIVERED", "LAG (CHUNKS)", "LAG", "GAPS", "FROM"});
        for (JsonNode p : s.path("processors")) {
            List<String> subs = new ArrayList<>();
            p.path("subscriptions").forEach(n -> subs.add(n.asText()));
            processors.add(new String[] {p.path("name").asText(), subs.isEmpty() ? "all" : String.join(",", subs),
                    p.path("delivered").asText(), p.path("lag_chunks").asText(),
                    String.format(Locale.ROOT, "%.2f s", p.path("lag_seconds").asDouble()), p.path("gaps").asText(),
                    p.path("remote_address").asText()});
        }
        table(processors, out);
        JsonNode ev = s.path("events");
        if (events > 0 && ev.size() > 0) {
            out.println();
            out.println("RECENT EVENTS");
            for (int i = Math.max(0, ev.size() - events); i < ev.size(); i++) {
                JsonNode e = ev.get(i);
                String at = e.path("at").asText();
                out.printf("%s  %-16s %s%s  %s%n", at.length() >= 19 ? at.substring(11, 19) : at, e.path("kind").asText(),
                        e.path("client").asText(), e.path("stream").asText().isEmpty() || e.path("stream").asText().equals(
                                e.path("client").asText()) ? "" : " (" + e.path("stream").asText() + ")", e.path("message").asText());
            }
        }
    }

    private static void table(List<String[]> rows, PrintWriter out) {
        if (rows.size() == 1) {
            out.println(rows.get(0)[0].equals("STREAM") ? "no streams" : "no processors connected");
            return;
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format("%-" + width[i] + "s", r[i]));
                if (i < r.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %d s", (long) seconds / 60, (long) seconds % 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
