package io.audiosockets.mailman;

/**
 * One stream as the mailman holds it at one moment.
 *
 * @param name the stream's name
 * @param kind "audio", or "results" for a processor's result stream (PROTOCOL.md §9)
 * @param recorderConnected whether its recorder (or publisher) is connected now
 * @param chunksIn new chunks (or records) received since the mailman started, duplicates not counted
 * @param bytesIn their encoded bytes
 * @param chunksPerSecond chunks received over the last few seconds, per second (50 for 20 ms chunks at real time)
 * @param lastSeq the newest chunk's sequence number, or -1 before the first
 * @param oldestSeq the oldest chunk still retained, or -1 when none is
 * @param retainedChunks chunks retained now
 * @param retainedBytes their encoded bytes (all streams together are held to {@code RETENTION_MAX_BYTES})
 * @param retainedSeconds the audio they span
 * @param secondsSinceLastChunk how long ago the newest chunk arrived (-1 before the first): a stream
 *     whose recorder is connected but silent on the wire shows it here
 * @param sampleRate the newest chunk's sample rate in Hz (0 for results or before the first chunk)
 * @param channels the newest chunk's channel count (0 for results or before the first chunk)
 */
public record StreamStatus(String name, String kind, boolean recorderConnected, long chunksIn, long bytesIn, double chunksPerSecond,
                           long lastSeq, long oldestSeq, int retainedChunks, long retainedBytes, double retainedSeconds,
                           double secondsSinceLastChunk, int sampleRate, int channels) {
}
