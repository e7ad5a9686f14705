/**
 * Signal processing on samples: a librosa-exact {@link io.audiosockets.dsp.LogMelSpectrogram}
 * and its {@link io.audiosockets.dsp.MelFilterBank}, framing that does not depend on how the audio
 * is cut into blocks ({@link io.audiosockets.dsp.StreamFramer}, {@link io.audiosockets.dsp.StreamingLogMel}),
 * {@link io.audiosockets.dsp.LevelMeter}, {@link io.audiosockets.dsp.VoiceActivityDetector} and
 * {@link io.audiosockets.dsp.Downmix}.
 *
 * <p>Samples in, numbers out: every input is normalised {@code float} samples (1.0 = full scale),
 * mono or interleaved with a channel count, and a sample rate. Nothing here knows of chunks,
 * streams' sequence numbers or the network (this module depends on no other audiosockets module):
 * a caller holding an {@code AudioChunk} passes {@code chunk.samples()} or {@code chunk.channel(i)},
 * or decodes into a buffer it keeps. Where a class keeps state across calls, the samples fed are
 * taken to follow one another and the caller says where they do not with {@code reset()}.
 *
 * <p>No threads: every class is meant to be owned by one thread (one instance per stream where it
 * keeps state), and none is thread-safe unless it says so. See docs/DSP.md.
 */
package io.audiosockets.dsp;
