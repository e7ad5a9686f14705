package io.audiosockets.builtin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.SpeechEvent;
import io.audiosockets.dsp.VoiceActivityDetector;
import io.audiosockets.ml.ModelProcessor;
import io.audiosockets.ml.OnnxModel;
import io.audiosockets.ml.SileroVad;
import io.audiosockets.ml.Skipped;
import io.audiosockets.ml.VadEventSink;
import io.audiosockets.processor.BaseProcessor;
import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.Gap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Voice activity: prints a line when speech starts and when it ends in each stream, with the
 * capture time and sample index of the boundary. One detector per stream, created at the
 * stream's first chunk; a gap ends any speech in progress (the detector restarts).
 *
 * <p>Two detectors: the energy detector ({@link VoiceActivityDetector}, no model, the default of
 * {@code process vad}) and the Silero VAD v5 neural detector ({@link SileroVad}, which tells speech
 * from music, noise and claps). Both report through {@link VadEventSink}s: the printer is the
 * first; {@link #addSink} adds more (e.g. {@link VadResultPublisher}, which publishes the events as a
 * result stream), before the processor starts. A sink that is {@link AutoCloseable} is closed when
 * the processor stops, after the last events.
 */
public final class VadProcessor extends BaseProcessor {
    private static final Logger log = LoggerFactory.getLogger(VadProcessor.class);
    /** One stream's detector. */
    private interface Detector {
        void process(AudioChunk chunk);

        void reset();

        int sampleRate();
    }

    private final LineSink out;
    private final VoiceActivityDetector.Config energyConfig;
    private final OnnxModel model;
    private final SileroVad.Config sileroConfig;
    /** Per stream; owned by the processor thread, like {@link #speechStarts}. */
    private final Map<String, Detector> detectors = new HashMap<>();
    /** Capture time of the speech in progress, per stream. */
    private final Map<String, Long> speechStarts = new HashMap<>();
    private final List<VadEventSink> sinks = new CopyOnWriteArrayList<>();
    private final VadEventSink fanOut = new VadEventSink() {
        @Override
        public void onSpeechEvent(SpeechEvent event) {
            sinks.forEach(s -> s.onSpeechEvent(event));
        }

        @Override
        public void onProbability(String stream, long sample, long timeNanos, float probability) {
            sinks.forEach(s -> s.onProbability(stream, sample, timeNanos, probability));
        }

        @Override
        public void onSkipped(Skipped skipped) {
            sinks.forEach(s -> s.onSkipped(skipped));
        }
    };

    /** The energy detector with {@code config}, writing to {@code out}. */
    public VadProcessor(ProcessorOptions options, VoiceActivityDetector.Config config, LineSink out) {
        this(options, Objects.requireNonNull(config, "config == null"), null, null, out);
    }

    /**
     * The Silero detector with {@code config}, running {@code model} (which the processor closes
     * when it stops), writing to {@code out}.
     */
    public VadProcessor(ProcessorOptions options, OnnxModel model, SileroVad.Config config, LineSink out) {
        this(options, null, Objects.requireNonNull(model, "model == null"), Objects.requireNonNull(config, "config == null"), out);
    }

    private VadProcessor(ProcessorOptions options, VoiceActivityDetector.Config energyConfig, OnnxModel model,
                         SileroVad.Config sileroConfig, LineSink out) {
        super(options);
        this.energyConfig = energyConfig;
        this.model = model;
        this.sileroConfig = sileroConfig;
        this.out = Objects.requireNonNull(out, "out == null");
        sinks.add(new Printer());
    }

    /** Also sends every finding to {@code sink}, on the processor thread, after the printer. */
    public VadProcessor addSink(VadEventSink sink) {
        sinks.add(Objects.requireNonNull(sink, "sink == null"));
        return this;
    }

    @Override
    protected void processData(AudioChunk chunk) {
        Detector d = detectors.get(chunk.stream());
        if (d == null || d.sampleRate() != chunk.sampleRate()) {
            if (d != null) {
                d.reset();
            }
            d = model == null ? energy(chunk.stream(), chunk.sampleRate()) : silero(chunk.stream(), chunk.sampleRate());
            detectors.put(chunk.stream(), d);
        }
        d.process(chunk);
    }

    private Detector energy(String stream, int rate) {
        VoiceActivityDetector vad = new VoiceActivityDetector(stream, rate, energyConfig);
        return new Detector() {
            private long lastSeq = -1;
            private float[] mono;

            @Override
            public void process(AudioChunk chunk) {
                if (lastSeq >= 0 && chunk.seq() != lastSeq + 1) {
                    // Audio is missing even if no GAP said so (a resume from elsewhere): speech in progress ends before it.
                    reset();
                }
                lastSeq = chunk.seq();
                mono = ChunkSamples.mono(chunk, mono);
                vad.process(mono, 0, chunk.frames(), chunk.captureTimeNanos()).forEach(fanOut::onSpeechEvent);
            }

            @Override
            public void reset() {
                lastSeq = -1;
                vad.reset().forEach(fanOut::onSpeechEvent);
            }

            @Override
            public int sampleRate() {
                return vad.sampleRate();
            }
        };
    }

    private Detector silero(String stream, int rate) {
        SileroVad vad = new SileroVad(model, stream, rate, sileroConfig, fanOut, ModelProcessor::systemEpochNanos);
        return new Detector() {
            @Override
            public void process(AudioChunk chunk) {
                vad.process(chunk);
            }

            @Override
            public void reset() {
                vad.reset();
            }

            @Override
            public int sampleRate() {
                return vad.sampleRate();
            }
        };
    }

    @Override
    protected void onGap(Gap gap) {
        out.line(Lines.gap(gap));
        Detector d = detectors.get(gap.stream());
        if (d != null) {
            d.reset();
        }
    }

    @Override
    protected void onStop() {
        try {
            new ArrayList<>(detectors.values()).forEach(Detector::reset);
        } finally {
            // A sink that holds resources (a publisher of the events) goes with the processor, after the last events.
            for (VadEventSink sink : sinks) {
                if (sink instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        log.warn("closing {} failed", sink, e);
                    }
                }
            }
            if (model != null) {
                model.close();
            }
        }
    }

    /** The lines on stdout. */
    private final class Printer implements VadEventSink {
        @Override
        public void onSpeechEvent(SpeechEvent e) {
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

        @Override
        public void onSkipped(Skipped s) {
            out.line(String.format(Locale.ROOT, "%-12s SKIP   chunks %d..%d (%d), samples %d..%d, not analysed: the model fell behind"
                    + " real time", s.stream(), s.firstSeq(), s.lastSeq(), s.chunks(), s.firstSample(), s.endSample()));
        }
    }
}
