package io.audiosockets.ml;

import io.audiosockets.dsp.SpeechEvent;
import java.util.function.BiConsumer;

/**
 * Silero's {@code get_speech_timestamps} run as the probabilities arrive: the same speeches, with
 * the same padding, reported as START and END boundaries as soon as they are certain.
 *
 * <p>The rules (silero-vad {@code utils_vad.py}; {@code max_speech_duration_s} is not supported,
 * i.e. it is infinite, its default): window {@code i} starts at sample {@code i * W}. Speech
 * starts at the first window with probability {@code >= threshold}; once in speech, the first
 * window below {@code negThreshold} marks a possible end ({@code temp_end}), forgotten by the next
 * window {@code >= threshold}; when the silence since {@code temp_end} reaches {@code minSilence},
 * speech ends at {@code temp_end}, and is kept only if it lasted more than {@code minSpeech}. Kept
 * speeches are then padded by {@code pad} on each side, except that two speeches closer than
 * {@code 2 * pad} share the silence between them half and half; the first start is clamped at 0,
 * and speech still open at the end of the audio ends there.
 *
 * <p>Streaming adds only latency: a START is reported when the speech is certain to last more than
 * {@code minSpeech}; an END when the next speech cannot come closer than {@code 2 * pad} (or
 * comes, splitting the silence). Positions are samples of the current segment.
 *
 * <p>Not thread-safe.
 */
final class SpeechTimestamps {
    private final int windowSize;
    private final double threshold;
    private final double negThreshold;
    private final double minSpeech;
    private final double minSilence;
    private final double pad;
    private final BiConsumer<SpeechEvent.Type, Long> out;

    private long windows;
    private boolean triggered;
    private boolean confirmed;
    private long start;
    private long tempEnd = -1;
    /** A kept speech's raw end whose padding waits for the next speech, or -1. */
    private long pendingEnd = -1;

    SpeechTimestamps(int windowSize, int sampleRate, SileroVad.Config config, BiConsumer<SpeechEvent.Type, Long> out) {
        this.windowSize = windowSize;
        this.threshold = config.threshold();
        this.negThreshold = config.effectiveNegThreshold();
        this.minSpeech = sampleRate * config.minSpeechMs() / 1000.0;
        this.minSilence = sampleRate * config.minSilenceMs() / 1000.0;
        this.pad = sampleRate * config.speechPadMs() / 1000.0;
        this.out = out;
    }

    /** The next window's speech probability. */
    void accept(float p) {
        long i = windows++;
        long pos = i * windowSize;
        if (p >= threshold && tempEnd >= 0) {
            tempEnd = -1;
        }
        if (p >= threshold && !triggered) {
            triggered = true;
            confirmed = false;
            start = pos;
        } else if (p < negThreshold && triggered) {
            if (tempEnd < 0) {
                tempEnd = pos;
            }
            if (pos - tempEnd >= minSilence) {
                long end = tempEnd;
                if (!confirmed && end - start > minSpeech) {
                    confirm();
                }
                if (confirmed) {
                    pendingEnd = end;
                }
                triggered = false;
                confirmed = false;
                tempEnd = -1;
            }
        }
        if (triggered && !confirmed) {
            long lowerBound = tempEnd >= 0 ? tempEnd : pos + windowSize;
            if (lowerBound - start > minSpeech) {
                confirm();
            }
        }
        long processed = pos + windowSize;
        if (pendingEnd >= 0 && processed >= pendingEnd + 2 * pad && (!triggered || start >= pendingEnd + 2 * pad)) {
            out.accept(SpeechEvent.Type.END, (long) (pendingEnd + pad));
            pendingEnd = -1;
        }
    }

    /** The open speech is kept: report its START (and the END before it, sharing the silence if close). */
    private void confirm() {
        confirmed = true;
        long padded;
        if (pendingEnd >= 0) {
            long silence = start - pendingEnd;
            if (silence < 2 * pad) {
                out.accept(SpeechEvent.Type.END, pendingEnd + silence / 2);
                padded = Math.max(0, start - silence / 2);
            } else {
                out.accept(SpeechEvent.Type.END, (long) (pendingEnd + pad));
                padded = (long) Math.max(0, start - pad);
            }
            pendingEnd = -1;
        } else {
            padded = (long) Math.max(0, start - pad);
        }
        out.accept(SpeechEvent.Type.START, padded);
    }

    /**
     * The audio ends (or breaks) after the windows seen: speech open ends there, as
     * {@code get_speech_timestamps} ends it at the audio's length; then all starts afresh.
     */
    void finish() {
        long length = windows * windowSize;
        if (triggered && !confirmed && length - start > minSpeech) {
            confirm();
        }
        if (triggered && confirmed) {
            pendingEnd = length;
        }
        if (pendingEnd >= 0) {
            out.accept(SpeechEvent.Type.END, (long) Math.min(length, pendingEnd + pad));
        }
        windows = 0;
        triggered = false;
        confirmed = false;
        tempEnd = -1;
        pendingEnd = -1;
    }

    /** Whether a START was reported whose END was not. */
    boolean inSpeech() {
        return (triggered && confirmed) || pendingEnd >= 0;
    }
}
