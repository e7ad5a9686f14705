package io.audiosockets.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import io.audiosockets.processor.ProcessorOptions;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The dsp classes see samples only, so the built-ins decide where audio is missing: a chunk whose
 * seq does not follow the previous one restarts the log-mel framing and ends open speech, as a
 * GAP notice does. The processors are fed on this thread through {@code processData}, never
 * connected (a mailman sends a GAP before such a chunk, which would hide the seq check).
 */
class SeqJumpTest {
    private static final int RATE = 16000;
    private static final long T0 = 1_795_533_150_000_000_000L;

    private static AudioChunk chunk(long seq, float[] x) {
        return AudioChunk.ofFloats("mic", seq, T0 + seq * 500_000_000L, RATE, 2, SampleFormat.PCM_S16LE, stereo(x));
    }

    /** {@code x} on both channels (the mono mix is {@code x} again, to PCM16's precision). */
    private static float[] stereo(float[] x) {
        float[] s = new float[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            s[2 * i] = x[i];
            s[2 * i + 1] = x[i];
        }
        return s;
    }

    private static float[] tone(int n, double amplitude) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * 440 * i / RATE));
        }
        return x;
    }

    @Test
    void logMelColumnsRestartFromZeroAfterASeqJump() throws Exception {
        StringWriter csvText = new StringWriter();
        StringWriter lines = new StringWriter();
        LogMelProcessor p = new LogMelProcessor(ProcessorOptions.builder("logmel").build(), 8, new BufferedWriter(csvText),
                new LineSink(new PrintWriter(lines)));
        try {
            p.processData(chunk(0, tone(8000, 0.5)));
            p.processData(chunk(1, tone(8000, 0.5)));
            p.processData(chunk(5, tone(8000, 0.5))); // 2..4 missing
        } finally {
            p.close();
        }
        List<Long> indices = csvText.toString().lines().map(l -> Long.parseLong(l.split(",")[1])).toList();
        // n samples after a (re)start complete 1 + (n + 200 - 400) / 160 columns (a 400-sample window,
        // 200 leading zeros, a 160-sample hop): 49 for 8000, 99 for 16000.
        assertThat(indices).hasSize(99 + 49);
        assertThat(indices.subList(0, 99)).isEqualTo(LongStream.range(0, 99).boxed().toList());
        assertThat(indices.subList(99, 148)).isEqualTo(LongStream.range(0, 49).boxed().toList());
        assertThat(lines.toString().lines().toList().get(2)).contains(" 49 columns").contains("total      49");
    }

    @Test
    void openSpeechEndsBeforeASeqJump() {
        StringWriter lines = new StringWriter();
        VadProcessor p = new VadProcessor(ProcessorOptions.builder("vad").build(),
                io.audiosockets.dsp.VoiceActivityDetector.Config.DEFAULT, new LineSink(new PrintWriter(lines)));
        float[] quiet = new float[8000];
        Arrays.fill(quiet, 0.0001f);
        try {
            p.processData(chunk(0, quiet));
            p.processData(chunk(1, tone(8000, 0.5)));   // speech starts, still open at the chunk's end
            assertThat(lines.toString()).contains("speech start").doesNotContain("speech end");
            p.processData(chunk(9, quiet));             // 2..8 missing: the speech ended before them
        } finally {
            p.close();
        }
        List<String> out = lines.toString().lines().toList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).startsWith("mic ").contains("speech start");
        // The END is the end of the last frame before the jump, sample 16000, dated by chunk 1 (T0 + 1 s):
        // the tone lasted 0.5 s. Left to the hangover in chunk 9, it would be dated 4 s later.
        assertThat(out.get(1)).startsWith("mic ").contains("speech end").contains("(sample 16000)").endsWith("lasted 0.50 s");
    }
}
