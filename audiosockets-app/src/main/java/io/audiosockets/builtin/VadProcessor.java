package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.SpeechEvent;
import io.audiosockets.dsp.VoiceActivityDetector;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Voice activity: prints a line when speech starts and when it ends in each stream, with the
 * capture time and sample index of the boundary. One detector per stream, created at the
 * stream's first chunk; a gap ends any speech in progress (the detector restarts).
 */
public final class VadProcessor extends BaseProcessor {
    private final LineSink out;
    private final VoiceActivityDetector.Config config;
    /** Per stream; owned by the processor thread, like {@link #speechStarts}. */
    private final Map<String, VoiceActivityDetector> detectors = new HashMap<>();
    /** Capture time of the speech in progress, per stream. */
    private final Map<String, Long> speechStarts = new HashMap<>();

    /** A voice activity detector with {@code config}, writing to {@code out}. */
    public VadProcessor(ProcessorOptions options, VoiceActivityDetector.Config config, LineSink out) {
        super(options);
        this.config = config;
        this.out = out;
    }

    @Override
    protected void processData(AudioChunk chunk) {
        VoiceActivityDetector vad = detectors.get(chunk.stream());
        if (vad == null || vad.sampleRate() != chunk.sampleRate()) {
            if (vad != null) {
                print(vad.reset());
            }
            vad = new VoiceActivityDetector(chunk.sampleRate(), config);
            detectors.put(chunk.stream(), vad);
        }
        print(vad.process(chunk));
    }

    @Override
    protected void onGap(Gap gap) {
        out.line(Lines.gap(gap));
        VoiceActivityDetector vad = detectors.get(gap.stream());
        if (vad != null) {
            print(vad.reset());
        }
    }

    @Override
    protected void onStop() {
        detectors.values().forEach(vad -> print(vad.reset()));
    }

    private void print(List<SpeechEvent> events) {
        for (SpeechEvent e : events) {
            if (e.type() == SpeechEvent.Type.START) {
                speechStarts.put(e.stream(), e.timeNanos());
                out.line(String.format(Locale.ROOT, "%-12s speech start at %s (sample %d)", e.stream(), Lines.clock(e.timeNanos()),
                        e.sample()));
            } else {
                Long start = speechStarts.remove(e.stream());
                out.line(String.format(Locale.ROOT, "%-12s speech end   at %s (sample %d)%s", e.stream(), Lines.clock(e.timeNanos()),
                        e.sample(), start == null ? "" : String.format(Locale.ROOT, ", lasted %.2f s", (e.timeNanos() - start) / 1e9)));
            }
        }
    }
}
