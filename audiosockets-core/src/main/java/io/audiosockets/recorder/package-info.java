/**
 * The recorder client: {@link io.audiosockets.recorder.Recorder} captures from an
 * {@link io.audiosockets.audio.AudioSource} and streams to the mailman. Public API, except
 * {@code RecorderBuffer}.
 */
package io.audiosockets.recorder;
