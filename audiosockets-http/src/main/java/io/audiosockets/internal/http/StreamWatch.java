package io.audiosockets.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiosockets.audio.AudioChunk;
import io.audiosockets.dsp.Downmix;
import io.audiosockets.dsp.LevelMeter;
import io.audiosockets.dsp.LogMelSpectrogram;
import io.audiosockets.dsp.StreamingLogMel;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;

/**
 * What the dashboard shows of one audio stream, computed from the chunks that arrived since the
 * last look: the level (RMS and peak in dBFS) and the new columns of a small log-mel spectrogram
 * ({@value #BANDS} bands, a column every 20 ms, quantised to a byte). Owned by the dashboard's
 * thread; made when someone watches and dropped when no one does.
 */
final class StreamWatch {
    /** Mel bands shown. */
    static final int BANDS = 32;
    /** ln(eps) of the spectrogram: silence. */
    private static final double FLOOR = Math.log(LogMelSpectrogram.DEFAULT_EPS);
    /** The loudest value shown (a full-scale tone is about this). */
    private static final double CEILING = 10;
    /** At most this many chunks are read per look: a stream far ahead is shown from its newest audio. */
    static final int MAX_CHUNKS_PER_LOOK = 100;

    private final String stream;
    private long lastSeq = -1;
    private long lastLookNanos;
    private double chunkSeconds;
    private int sampleRate;
    private StreamingLogMel mel;

    StreamWatch(String stream) {
        this.stream = stream;
    }

    /**
     * Adds what {@code chunks} (the stream's chunks after {@link #lastSeq()}, oldest first) show
     * to {@code out}: {@code seq}, {@code rms_dbfs}, {@code peak_dbfs}, {@code mel} (base64 of
     * columns × {@value #BANDS} bytes, lowest band first) and {@code columns}. Nothing new: the
     * stream's entry says so ({@code new_chunks} 0), so the page lets its meter fall.
     */
    void look(List<AudioChunk> chunks, ObjectNode out, long nowNanos) {
        lastLookNanos = nowNanos;
        out.put("name", stream);
        out.put("new_chunks", chunks.size());
        if (chunks.isEmpty()) {
            return;
        }
        double sumSquares = 0;
        long samples = 0;
        double peak = 0;
        ByteArrayOutputStream columns = new ByteArrayOutputStream();
        for (AudioChunk c : chunks) {
            if (mel == null || c.sampleRate() != sampleRate || c.seq() != lastSeq + 1) {
                // A new stream, a new rate, or audio missing in between: the spectrogram restarts, never joining across a gap.
                sampleRate = c.sampleRate();
                mel = new StreamingLogMel(new LogMelSpectrogram(sampleRate, BANDS, 0.025, 0.020, LogMelSpectrogram.DEFAULT_EPS));
            }
            lastSeq = c.seq();
            float[] interleaved = c.samples();
            chunkSeconds = interleaved.length / (double) Math.max(1, c.channels()) / c.sampleRate();
            LevelMeter.Level level = LevelMeter.measure(interleaved, c.channels());
            double rms = Math.pow(10, level.mixRmsDbfs() / 20);
            sumSquares += rms * rms * interleaved.length;
            samples += interleaved.length;
            peak = Math.max(peak, Math.pow(10, level.mixPeakDbfs() / 20));
            float[] mono = Downmix.toMono(interleaved, c.channels());
            mel.push(mono, 0, mono.length, (col, index) -> {
                for (double v : col) {
                    columns.write((int) Math.round(255 * Math.min(1, Math.max(0, (v - FLOOR) / (CEILING - FLOOR)))));
                }
            });
        }
        out.put("seq", lastSeq);
        out.put("rms_dbfs", LevelMeter.dbfs(samples == 0 ? 0 : Math.sqrt(sumSquares / samples)));
        out.put("peak_dbfs", LevelMeter.dbfs(peak));
        byte[] m = columns.toByteArray();
        out.put("columns", m.length / BANDS);
        out.put("bands", BANDS);
        out.put("mel", Base64.getEncoder().encodeToString(m));
    }

    /**
     * How many of the newest chunks the look at {@code nowNanos} reads: a stream first seen is
     * shown from its newest audio (5 chunks); after that, the audio of the time since the last
     * look plus {@value #LOOK_MARGIN_MILLIS} ms, at most {@value #MAX_CHUNKS_PER_LOOK} chunks. A
     * real-time stream is read whole (even after a late tick); one far faster than real time
     * (a file replayed, a load test) is shown at real-time pace from its newest audio instead of
     * costing the mailman a spectrogram of all of it.
     */
    int chunksToRead(long nowNanos) {
        if (lastSeq < 0 || chunkSeconds <= 0) {
            return 5;
        }
        double seconds = (nowNanos - lastLookNanos) / 1e9 + LOOK_MARGIN_MILLIS / 1e3;
        return (int) Math.max(1, Math.min(MAX_CHUNKS_PER_LOOK, Math.ceil(seconds / chunkSeconds)));
    }

    /** Audio read beyond the time since the last look, for a chunk that arrived just late. */
    static final long LOOK_MARGIN_MILLIS = 100;

    /** The newest chunk looked at, or -1 before the first. */
    long lastSeq() {
        return lastSeq;
    }
}
