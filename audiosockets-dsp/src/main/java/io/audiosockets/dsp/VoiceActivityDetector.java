package io.audiosockets.dsp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An energy-based voice activity detector for one stream, fed blocks of mono samples of any size.
 *
 * <p>The samples are cut into non-overlapping frames ({@link Config#frameMs()}, 20 ms by default)
 * by a {@link StreamFramer}, so decisions do not depend on how the audio is chunked. For each
 * frame:
 * <ol>
 *   <li>its energy {@code 10 log10(mean(x^2))} in dBFS (floored at {@link LevelMeter#FLOOR_DBFS});</li>
 *   <li>the noise floor: the {@link Config#noisePercentile()}-th percentile of the frame energies of
 *       the last {@link Config#noiseWindowMs()} (this frame included). Speech rarely fills 90 % of
 *       five seconds, so the low percentile tracks the background, and adapts to a new background
 *       within the window, while one silent dropout cannot drag it down;</li>
 *   <li>the frame is <em>active</em> if its energy exceeds the floor by {@link Config#thresholdDb()}
 *       and is above {@link Config#minSpeechLevelDbfs()} (so faint hiss over digital silence is not speech).</li>
 * </ol>
 * A run of active frames becomes speech once it spans {@link Config#minSpeechMs()}, pauses shorter
 * than {@link Config#hangoverMs()} included; {@link SpeechEvent.Type#START} is then reported at the
 * first sample of its first active frame. Speech ends after {@link Config#hangoverMs()} without an
 * active frame; {@link SpeechEvent.Type#END} is reported at the end of the last active frame. Both
 * are therefore exact to one frame, and END is reported {@code hangoverMs} late.
 *
 * <p>The noise floor is learnt from the audio: a stream that starts in the middle of speech has
 * that speech missed until the detector has heard some background.
 *
 * <p><b>Continuity:</b> every block fed is taken to follow the previous one directly; its capture
 * time only dates the events. Where audio is missing (a gap: chunks lost, or a sequence number
 * that does not follow the previous one), call {@link #reset()} before feeding what comes after
 * it: that ends any open speech at the last active frame before the gap (the END is returned),
 * drops the partial frame and restarts the framing from the next sample fed. The noise-floor
 * history is kept: the room has not changed because audio went missing. The caller knows where
 * its samples come from and so whether they follow; this class only sees samples.
 *
 * <p>Not thread-safe: owned by one thread, one instance per stream. Processing allocates nothing
 * per frame, and nothing at all when no event completes.
 */
public final class VoiceActivityDetector {
    /**
     * The detector's settings.
     *
     * @param frameMs analysis frame in milliseconds (10, 20 or 30 are usual), &gt; 0
     * @param thresholdDb how far above the noise floor a frame's energy must be to be active, &gt; 0
     * @param hangoverMs silence that ends speech (shorter pauses are part of it), &gt;= 0
     * @param minSpeechMs shortest activity reported as speech, &gt;= 0; shorter bursts are ignored
     * @param noiseWindowMs history the noise floor is estimated over, &gt;= frameMs
     * @param noisePercentile which percentile of that history is the floor, in [0, 100)
     * @param minSpeechLevelDbfs energy a frame must exceed in any case to be active
     */
    public record Config(double frameMs, double thresholdDb, double hangoverMs, double minSpeechMs,
                         double noiseWindowMs, double noisePercentile, double minSpeechLevelDbfs) {
        /** 20 ms frames, 10 dB over the floor, 200 ms hangover, 100 ms minimum, 5 s 10th-percentile floor, -70 dBFS. */
        public static final Config DEFAULT = new Config(20, 10, 200, 100, 5000, 10, -70);

        /** Validates every field, naming the one out of range. */
        public Config {
            Checks.positiveFinite("frameMs", frameMs);
            Checks.positiveFinite("thresholdDb", thresholdDb);
            nonNegative("hangoverMs", hangoverMs);
            nonNegative("minSpeechMs", minSpeechMs);
            if (!(noiseWindowMs >= frameMs) || Double.isInfinite(noiseWindowMs)) {
                throw new IllegalArgumentException("noiseWindowMs : " + noiseWindowMs + " (expected: >= frameMs = " + frameMs + ")");
            }
            if (!(noisePercentile >= 0 && noisePercentile < 100)) {
                throw new IllegalArgumentException("noisePercentile : " + noisePercentile + " (expected: 0 <= p < 100)");
            }
            if (Double.isNaN(minSpeechLevelDbfs)) {
                throw new IllegalArgumentException("minSpeechLevelDbfs : NaN (expected: a level in dBFS)");
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " : " + v + " (expected: >= 0 and finite)");
            }
        }

        /** This config with another frame length. */
        public Config withFrameMs(double v) {
            return new Config(v, thresholdDb, hangoverMs, minSpeechMs, noiseWindowMs, noisePercentile, minSpeechLevelDbfs);
        }

        /** This config with another threshold above the noise floor. */
        public Config withThresholdDb(double v) {
            return new Config(frameMs, v, hangoverMs, minSpeechMs, noiseWindowMs, noisePercentile, minSpeechLevelDbfs);
        }

        /** This config with another hangover. */
        public Config withHangoverMs(double v) {
            return new Config(frameMs, thresholdDb, v, minSpeechMs, noiseWindowMs, noisePercentile, minSpeechLevelDbfs);
        }

        /** This config with another minimum speech duration. */
        public Config withMinSpeechMs(double v) {
            return new Config(frameMs, thresholdDb, hangoverMs, v, noiseWindowMs, noisePercentile, minSpeechLevelDbfs);
        }

        /** This config with another noise-floor history. */
        public Config withNoiseWindowMs(double v) {
            return new Config(frameMs, thresholdDb, hangoverMs, minSpeechMs, v, noisePercentile, minSpeechLevelDbfs);
        }

        /** This config with another noise-floor percentile. */
        public Config withNoisePercentile(double v) {
            return new Config(frameMs, thresholdDb, hangoverMs, minSpeechMs, noiseWindowMs, v, minSpeechLevelDbfs);
        }

        /** This config with another absolute minimum speech level. */
        public Config withMinSpeechLevelDbfs(double v) {
            return new Config(frameMs, thresholdDb, hangoverMs, minSpeechMs, noiseWindowMs, noisePercentile, v);
        }
    }

    private enum State { SILENCE, PENDING, SPEECH }

    private final int sampleRate;
    private final Config config;
    private final StreamFramer framer;
    private final int frameLength;
    private final long hangoverSamples;
    private final long minSpeechSamples;
    private final double[] history;
    private final double[] sorted;
    private int historySize;
    private int historyNext;
    private double noiseFloorDbfs = LevelMeter.FLOOR_DBFS;
    private double lastEnergyDbfs = LevelMeter.FLOOR_DBFS;

    private State state = State.SILENCE;
    private long speechStart;
    private long lastActiveEnd;
    /** Samples fed before the framer's last reset: framer positions are relative to it. */
    private long framerBase;
    private long samplesFed;
    private long anchorSample;
    private long anchorNanos;
    private final String stream;
    private final List<SpeechEvent> events = new ArrayList<>();
    private final StreamFramer.FrameSink frameSink = this::onFrame;

    /** A detector with {@link Config#DEFAULT} for audio at {@code sampleRate} Hz; its events name the stream {@code ""}. */
    public VoiceActivityDetector(int sampleRate) {
        this("", sampleRate, Config.DEFAULT);
    }

    /**
     * A detector for audio at {@code sampleRate} Hz; its events name the stream {@code ""}.
     *
     * @throws IllegalArgumentException if the rate is not positive or a frame would hold no sample
     */
    public VoiceActivityDetector(int sampleRate, Config config) {
        this("", sampleRate, config);
    }

    /**
     * A detector for the stream {@code stream}, whose audio is at {@code sampleRate} Hz.
     *
     * @param stream the name its {@link SpeechEvent}s carry (a label only: nothing is looked up by it)
     * @throws IllegalArgumentException if the rate is not positive or a frame would hold no sample
     */
    public VoiceActivityDetector(String stream, int sampleRate, Config config) {
        this.stream = Objects.requireNonNull(stream, "stream == null");
        this.sampleRate = Checks.positive("sampleRate", sampleRate);
        this.config = Objects.requireNonNull(config, "config == null");
        this.frameLength = StreamFramer.samples("frameMs", sampleRate, config.frameMs());
        this.framer = new StreamFramer(frameLength, frameLength);
        this.hangoverSamples = Math.round(sampleRate * config.hangoverMs() / 1000.0);
        this.minSpeechSamples = Math.round(sampleRate * config.minSpeechMs() / 1000.0);
        int historyFrames = (int) Math.max(1, Math.round(config.noiseWindowMs() / (1000.0 * frameLength / sampleRate)));
        this.history = new double[historyFrames];
        this.sorted = new double[historyFrames];
    }

    /**
     * Feeds {@code length} mono samples of {@code mono} from {@code offset}, sampled at
     * {@link #sampleRate()} and following the samples fed before (see the class comment on gaps),
     * and returns the speech boundaries they complete. {@code mono} may be a buffer the caller
     * refills for every chunk: it is not kept.
     *
     * @param captureTimeNanos capture time of the first of these samples, in nanoseconds since the
     *                         Unix epoch: the events' times are counted from it
     * @return the events, oldest first; an empty list (no allocation) when there are none
     * @throws IndexOutOfBoundsException if the range is not within {@code mono}
     */
    public List<SpeechEvent> process(float[] mono, int offset, int length, long captureTimeNanos) {
        Objects.requireNonNull(mono, "mono == null");
        Checks.range("mono", offset, length, mono.length);
        feed(mono, offset, length, captureTimeNanos);
        return drain();
    }

    private void feed(float[] samples, int offset, int length, long captureTimeNanos) {
        // Every sample's time comes from the newest block: since the last reset the blocks are contiguous.
        anchorSample = samplesFed;
        anchorNanos = captureTimeNanos;
        samplesFed += length;
        framer.push(samples, offset, length, frameSink);
    }

    private void onFrame(float[] frame, long index, long startSample) {
        double sum = 0;
        for (int i = 0; i < frameLength; i++) {
            double s = frame[i];
            sum += s * s;
        }
        double mean = sum / frameLength;
        double energy = mean > 0 ? Math.max(LevelMeter.FLOOR_DBFS, 10 * Math.log10(mean)) : LevelMeter.FLOOR_DBFS;
        lastEnergyDbfs = energy;
        noiseFloorDbfs = updateNoiseFloor(energy);
        boolean active = energy > noiseFloorDbfs + config.thresholdDb() && energy > config.minSpeechLevelDbfs();
        long start = framerBase + startSample;
        long end = start + frameLength;
        switch (state) {
            case SILENCE -> {
                if (active) {
                    state = State.PENDING;
                    speechStart = start;
                    lastActiveEnd = end;
                    confirmIfLongEnough();
                }
            }
            case PENDING -> {
                if (active) {
                    lastActiveEnd = end;
                    confirmIfLongEnough();
                } else if (end - lastActiveEnd > hangoverSamples) {
                    state = State.SILENCE; // a click, not speech
                }
            }
            case SPEECH -> {
                if (active) {
                    lastActiveEnd = end;
                } else if (end - lastActiveEnd >= hangoverSamples) {
                    state = State.SILENCE;
                    events.add(event(SpeechEvent.Type.END, lastActiveEnd));
                }
            }
        }
    }

    private void confirmIfLongEnough() {
        if (lastActiveEnd - speechStart >= minSpeechSamples) {
            state = State.SPEECH;
            events.add(event(SpeechEvent.Type.START, speechStart));
        }
    }

    private double updateNoiseFloor(double energy) {
        history[historyNext] = energy;
        historyNext = (historyNext + 1) % history.length;
        historySize = Math.min(historySize + 1, history.length);
        System.arraycopy(history, 0, sorted, 0, historySize);
        Arrays.sort(sorted, 0, historySize);
        int at = (int) Math.floor(config.noisePercentile() / 100.0 * (historySize - 1));
        return sorted[at];
    }

    private SpeechEvent event(SpeechEvent.Type type, long sample) {
        long delta = sample - anchorSample;
        long nanos = anchorNanos + Math.floorDiv(delta * 1_000_000_000L + sampleRate / 2, sampleRate);
        return new SpeechEvent(type, stream, sample, nanos);
    }

    private List<SpeechEvent> drain() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<SpeechEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    /**
     * Handles a gap: ends open speech at its last active frame, drops the partial frame and
     * starts framing afresh with the next sample fed. The noise floor is kept.
     *
     * @return the END of the speech that was open, or an empty list
     */
    public List<SpeechEvent> reset() {
        resetInto();
        return drain();
    }

    private void resetInto() {
        if (state == State.SPEECH) {
            events.add(event(SpeechEvent.Type.END, lastActiveEnd));
        }
        state = State.SILENCE;
        framer.reset();
        framerBase = samplesFed;
    }

    /** Whether speech is open: a START was reported and its END not yet. */
    public boolean inSpeech() {
        return state == State.SPEECH;
    }

    /** The current noise-floor estimate in dBFS (frame energy). */
    public double noiseFloorDbfs() {
        return noiseFloorDbfs;
    }

    /** The energy of the last frame in dBFS. */
    public double lastEnergyDbfs() {
        return lastEnergyDbfs;
    }

    /** The frame length in samples. */
    public int frameLength() {
        return frameLength;
    }

    /** The sample rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** The stream name the events carry. */
    public String stream() {
        return stream;
    }

    /** The settings. */
    public Config config() {
        return config;
    }

    /** Samples fed since construction. */
    public long samplesFed() {
        return samplesFed;
    }

    @Override
    public String toString() {
        return "VoiceActivityDetector{stream='" + stream + "', rate=" + sampleRate + ", frame=" + frameLength + ", state=" + state
                + String.format(java.util.Locale.ROOT, ", floor=%.1f dBFS}", noiseFloorDbfs);
    }
}
