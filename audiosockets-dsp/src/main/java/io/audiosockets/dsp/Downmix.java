package io.audiosockets.dsp;

import java.util.Objects;

/**
 * Mixes interleaved multi-channel samples to mono by averaging the channels, the mono signal
 * {@link LogMelSpectrogram}, {@link StreamingLogMel} and {@link VoiceActivityDetector} take.
 *
 * <p>Stateless and thread-safe.
 */
public final class Downmix {
    private Downmix() {
    }

    /**
     * The mono mix of {@code interleaved}: sample {@code i} is the mean of frame {@code i}'s channels.
     *
     * @param interleaved samples, {@code channels} per frame
     * @param channels number of channels, &gt; 0, dividing {@code interleaved.length}
     * @return a new array of {@code interleaved.length / channels} samples; {@code interleaved}
     *         itself when {@code channels} is 1 (nothing to mix, nothing copied)
     * @throws IllegalArgumentException if {@code channels} is not positive or does not divide the length
     */
    public static float[] toMono(float[] interleaved, int channels) {
        Objects.requireNonNull(interleaved, "interleaved == null");
        Checks.frames("interleaved", interleaved.length, channels);
        if (channels == 1) {
            return interleaved;
        }
        int frames = interleaved.length / channels;
        float[] out = new float[frames];
        toMono(interleaved, 0, frames, channels, out, 0);
        return out;
    }

    /**
     * Writes the mono mix of {@code frames} frames of {@code interleaved} from {@code offset} into
     * {@code dst} from {@code dstOffset}; allocates nothing. {@code dst} may be {@code interleaved}
     * with {@code dstOffset <= offset}: each frame is read before it can be overwritten.
     *
     * @param offset index of the first frame's first sample in {@code interleaved}
     * @param frames number of frames to mix
     * @param channels number of channels, &gt; 0
     * @throws IndexOutOfBoundsException if either range is not within its array
     */
    public static void toMono(float[] interleaved, int offset, int frames, int channels, float[] dst, int dstOffset) {
        Objects.requireNonNull(interleaved, "interleaved == null");
        Objects.requireNonNull(dst, "dst == null");
        Checks.positive("channels", channels);
        Checks.nonNegative("frames", frames);
        Checks.range("interleaved", offset, Math.multiplyExact(frames, channels), interleaved.length);
        Checks.range("dst", dstOffset, frames, dst.length);
        if (channels == 1) {
            System.arraycopy(interleaved, offset, dst, dstOffset, frames);
            return;
        }
        for (int i = 0, at = offset; i < frames; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++, at++) {
                sum += interleaved[at];
            }
            dst[dstOffset + i] = (float) (sum / channels);
        }
    }
}
