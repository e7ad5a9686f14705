package io.audiosockets.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiosockets.mailman.MailmanEvent;
import io.audiosockets.mailman.MailmanStats;
import io.audiosockets.mailman.MailmanStatus;
import io.audiosockets.mailman.ProcessorStatus;
import io.audiosockets.mailman.RecorderStatus;
import io.audiosockets.mailman.StreamStatus;

/**
 * {@link MailmanStatus} as the JSON of {@code /api/status} and of the dashboard's status
 * messages, field by field as {@code docs/HTTP-API.md} documents them: names in snake case,
 * times as ISO-8601 strings, durations and lags in seconds.
 */
public final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    /** The document for {@code status}. */
    public static String write(MailmanStatus status) {
        return tree(status).toString();
    }

    /** The document for {@code status}, as a tree to embed. */
    public static ObjectNode tree(MailmanStatus s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("taken_at", s.takenAt().toString());
        root.put("server", s.server());
        root.put("uptime_seconds", s.uptime().toMillis() / 1000.0);
        root.set("totals", totals(s.totals()));
        ArrayNode streams = root.putArray("streams");
        s.streams().forEach(st -> streams.add(stream(st)));
        ArrayNode recorders = root.putArray("recorders");
        s.recorders().forEach(r -> recorders.add(recorder(r)));
        ArrayNode processors = root.putArray("processors");
        s.processors().forEach(p -> processors.add(processor(p)));
        ArrayNode events = root.putArray("events");
        s.recentEvents().forEach(e -> events.add(event(e)));
        return root;
    }

    private static ObjectNode totals(MailmanStats.Snapshot t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("connections", t.connections());
        n.put("chunks_in", t.chunksIn());
        n.put("duplicates", t.duplicates());
        n.put("chunks_replayed", t.chunksReplayed());
        n.put("deliveries", t.deliveries());
        n.put("gaps", t.gaps());
        n.put("gap_chunks", t.gapChunks());
        n.put("refused", t.refused());
        n.put("protocol_errors", t.protocolErrors());
        n.put("streams_forgotten", t.streamsForgotten());
        n.put("budget_evictions", t.budgetEvictions());
        n.put("retained_bytes", t.retainedBytes());
        n.put("retained_memory_bytes", t.retainedMemoryBytes());
        return n;
    }

    private static ObjectNode stream(StreamStatus s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        n.put("kind", s.kind());
        n.put("recorder_connected", s.recorderConnected());
        n.put("chunks_in", s.chunksIn());
        n.put("bytes_in", s.bytesIn());
        n.put("chunks_per_second", s.chunksPerSecond());
        n.put("last_seq", s.lastSeq());
        n.put("oldest_seq", s.oldestSeq());
        n.put("retained_chunks", s.retainedChunks());
        n.put("retained_bytes", s.retainedBytes());
        n.put("retained_seconds", s.retainedSeconds());
        n.put("seconds_since_last_chunk", s.secondsSinceLastChunk());
        n.put("sample_rate", s.sampleRate());
        n.put("channels", s.channels());
        return n;
    }

    private static ObjectNode recorder(RecorderStatus r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("stream", r.stream());
        n.put("remote_address", r.remoteAddress());
        n.put("connected_at", r.connectedAt().toString());
        n.put("chunks_received", r.chunksReceived());
        n.put("acked_seq", r.ackedSeq());
        return n;
    }

    private static ObjectNode processor(ProcessorStatus p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", p.name());
        n.put("remote_address", p.remoteAddress());
        n.put("connected_at", p.connectedAt().toString());
        n.put("window", p.window());
        ArrayNode subs = n.putArray("subscriptions");
        p.subscriptions().forEach(subs::add);
        n.put("delivered", p.delivered());
        n.put("gaps", p.gaps());
        n.put("gap_chunks", p.gapChunks());
        n.put("lag_chunks", p.lagChunks());
        n.put("lag_seconds", p.lagSeconds());
        ArrayNode cursors = n.putArray("streams");
        for (ProcessorStatus.Cursor c : p.cursors()) {
            ObjectNode cn = cursors.addObject();
            cn.put("stream", c.stream());
            cn.put("next_seq", c.nextSeq());
            cn.put("acked_seq", c.ackedSeq());
            cn.put("in_flight", c.inFlight());
            cn.put("lag_chunks", c.lagChunks());
            cn.put("lag_seconds", c.lagSeconds());
        }
        return n;
    }

    /** One event as JSON (also what the dashboard is pushed). */
    public static ObjectNode event(MailmanEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", e.at().toString());
        n.put("kind", e.kind().name());
        n.put("client", e.client());
        n.put("stream", e.stream());
        n.put("message", e.message());
        return n;
    }
}
