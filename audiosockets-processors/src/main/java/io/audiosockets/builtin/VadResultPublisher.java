package io.audiosockets.builtin;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.dsp.SpeechEvent;
import io.audiosockets.ml.Skipped;
import io.audiosockets.ml.VadEventSink;
import io.audiosockets.processor.ResultPublisher;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a voice detector's findings as result streams on the mailman (PROTOCOL.md §9): for
 * each audio stream {@code S}, a stream {@code S + suffix} ({@code process vad} uses {@code S.vad}) of JSON
 * records, one per speech boundary, and one per stretch of audio skipped to keep up:
 *
 * <pre>
 * {"event":"speech_start","sample":16000}      time = the capture time of that sample, duration 0
 * {"event":"speech_end","sample":32000}
 * {"event":"skipped","first_seq":40,"last_seq":52,"samples":4160}   time and duration = the audio skipped
 * </pre>
 *
 * <p>Other processors subscribe to {@code S.vad} as to audio. Confined to the processor's thread,
 * like every {@link VadEventSink}; {@link #close()} closes the publishers (it waits up to
 * {@link ResultPublisher#DRAIN_TIMEOUT} for each one's last records to be acknowledged).
 */
public final class VadResultPublisher implements VadEventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VadResultPublisher.class);
    private final NetworkConfig config;
    private final String suffix;
    private final Map<String, ResultPublisher> publishers = new HashMap<>();
    /** Streams whose publisher the mailman refused for good: nothing more is published for them. */
    private final java.util.Set<String> refused = new java.util.HashSet<>();

    /** Publishes to the mailman {@code config} names, as {@code stream + suffix}. */
    public VadResultPublisher(NetworkConfig config, String suffix) {
        this.config = Objects.requireNonNull(config, "config == null");
        this.suffix = Objects.requireNonNull(suffix, "suffix == null");
    }

    @Override
    public void onSpeechEvent(SpeechEvent event) {
        String name = event.type() == SpeechEvent.Type.START ? "speech_start" : "speech_end";
        publish(event.stream(), event.timeNanos(), 0, "{\"event\":\"" + name + "\",\"sample\":" + event.sample() + "}");
    }

    @Override
    public void onSkipped(Skipped s) {
        publish(s.stream(), s.firstCaptureNanos(), Math.max(0, s.endCaptureNanos() - s.firstCaptureNanos()), String.format(Locale.ROOT,
                "{\"event\":\"skipped\",\"first_seq\":%d,\"last_seq\":%d,\"first_sample\":%d,\"samples\":%d}", s.firstSeq(),
                s.lastSeq(), s.firstSample(), s.samples()));
    }

    private void publish(String stream, long timeNanos, long durationNanos, String json) {
        if (refused.contains(stream)) {
            return;
        }
        ResultPublisher p = publishers.computeIfAbsent(stream, s -> new ResultPublisher(s + suffix, config).start());
        try {
            p.publishJson(timeNanos, durationNanos, json);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The detector goes on, printing: only the publishing of this stream stops, said once.
            refused.add(stream);
            log.error("{}: {}; the events of stream '{}' are printed but no longer published", p.stream(), e.getMessage(), stream);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the processor is stopping: this record is not published
            log.warn("{}: interrupted while the mailman was away; not published: {}", p.stream(), json);
        }
    }

    /** Closes every publisher, at the same time, each after its last records are acknowledged (or {@link ResultPublisher#DRAIN_TIMEOUT}). */
    @Override
    public void close() {
        // Together, not one after another: each may wait for its last acknowledgements, and the processor's
        // onStop, which calls this, has a few seconds in all.
        publishers.values().parallelStream().forEach(ResultPublisher::close);
        publishers.clear();
    }
}
