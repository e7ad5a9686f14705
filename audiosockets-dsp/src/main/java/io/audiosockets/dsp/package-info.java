/**
 * Signal processing for processors: a librosa-exact {@link io.audiosockets.dsp.LogMelSpectrogram}
 * and its {@link io.audiosockets.dsp.MelFilterBank}, chunk-independent framing
 * ({@link io.audiosockets.dsp.StreamFramer}, {@link io.audiosockets.dsp.StreamingLogMel}),
 * {@link io.audiosockets.dsp.LevelMeter}, {@link io.audiosockets.dsp.VoiceActivityDetector} and
 * {@link io.audiosockets.dsp.WavArchive}.
 *
 * <p>No networking and no threads: every class is meant to be owned by one processor thread
 * (one instance per stream where it keeps state), and none is thread-safe unless it says so.
 * See docs/DSP.md.
 */
package io.audiosockets.dsp;
