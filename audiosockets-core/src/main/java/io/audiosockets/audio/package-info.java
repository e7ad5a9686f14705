/**
 * Audio values and sources: {@link io.audiosockets.audio.AudioChunk}, sample formats, and the
 * {@link io.audiosockets.audio.AudioSource}s a recorder captures from (synthetic signals, WAV
 * files, raw PCM on stdin, a microphone through {@code javax.sound.sampled}: {@link io.audiosockets.audio.MicrophoneSource},
 * {@link io.audiosockets.audio.InputDevice}). No networking here. Public API.
 */
package io.audiosockets.audio;
