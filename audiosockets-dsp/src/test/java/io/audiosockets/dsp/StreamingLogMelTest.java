package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class StreamingLogMelTest {
    private static final Logger log = LoggerFactory.getLogger(StreamingLogMelTest.class);

    @ParameterizedTest(name = "{0} in chunks of {1}")
    @CsvSource({"sine440_16k, 320", "sine440_16k, 8000", "speech_16k, 320", "speech_16k, 8000",
            "speech_16k, 1", "chirp_16k, 333", "twotone_44k, 441"})
    void streamEqualsBatchFrameForFrame(String name, int chunk) {
        int fs = RefData.entry(name).get("fs").asInt();
        float[] x = RefData.f32(name + ".f32");
        double[][] batch = new LogMelSpectrogram(fs).compute(x);
        StreamingLogMel stream = new StreamingLogMel(new LogMelSpectrogram(fs));

        List<double[]> columns = new ArrayList<>();
        List<Long> indices = new ArrayList<>();
        for (int at = 0; at < x.length; at += chunk) {
            stream.push(x, at, Math.min(chunk, x.length - at), (col, index) -> {
                indices.add(index);
                columns.add(col.clone());
            });
        }

        int nFft = stream.spectrogram().nFft();
        int hop = stream.spectrogram().hopLength();
        // The stream emits column t once sample t*hop - nFft/2 + nFft - 1 has arrived: every batch
        // column but the last few, which librosa pads on the right.
        long expected = 1 + (x.length + nFft / 2 - nFft) / hop;
        assertThat(columns).hasSize((int) expected);
        assertThat(stream.columnsFor(x.length)).isEqualTo(expected);
        assertThat(stream.columnsEmitted()).isEqualTo(expected);
        if (x.length == 16000 && fs == 16000) {
            assertThat(expected).isEqualTo(99); // of librosa's 101
        }
        double max = 0;
        for (int t = 0; t < columns.size(); t++) {
            assertThat(indices.get(t)).isEqualTo(t);
            for (int m = 0; m < batch.length; m++) {
                max = Math.max(max, Math.abs(columns.get(t)[m] - batch[m][t]));
            }
        }
        log.info("streaming {} in chunks of {}: {} of {} batch columns, max |stream - batch| {}",
                name, chunk, columns.size(), batch[0].length, max);
        assertThat(max).isLessThanOrEqualTo(1e-9);
    }

    @Test
    void chunksOf20msAnd500msGiveIdenticalColumns() {
        float[] x = RefData.f32("speech_16k.f32");
        assertThat(collect(x, 320)).isDeepEqualTo(collect(x, 8000));
    }

    private static double[][] collect(float[] x, int chunk) {
        StreamingLogMel s = new StreamingLogMel(new LogMelSpectrogram(16000));
        List<double[]> out = new ArrayList<>();
        for (int at = 0; at < x.length; at += chunk) {
            out.addAll(s.push(Arrays.copyOfRange(x, at, Math.min(x.length, at + chunk))));
        }
        return out.toArray(double[][]::new);
    }

    @Test
    void pushingAllocatesNothingBeyondTheFftLibrary() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        float[] x = RefData.f32("speech_16k.f32");
        StreamingLogMel s = new StreamingLogMel(new LogMelSpectrogram(16000));
        double[] sum = new double[1];
        StreamingLogMel.ColumnSink sink = (col, index) -> sum[0] += col[0];
        org.jtransforms.fft.DoubleFFT_1D fft = new org.jtransforms.fft.DoubleFFT_1D(400);
        double[] a = new double[400];
        for (int rep = 0; rep < 20; rep++) {
            for (int at = 0; at < x.length; at += 320) {
                s.push(x, at, 320, sink);
            }
            fft.realForward(a);
        }
        s.reset();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 99; i++) {
            fft.realForward(a);
        }
        long fftOnly = mx.getThreadAllocatedBytes(tid) - before;
        before = mx.getThreadAllocatedBytes(tid);
        for (int at = 0; at < x.length; at += 320) {
            s.push(x, at, 320, sink);
        }
        long pushed = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(s.columnsEmitted()).isEqualTo(99);
        log.info("streaming 1 s in 20 ms chunks allocates {} bytes; JTransforms alone for its 99 FFTs {} bytes", pushed, fftOnly);
        assertThat(pushed - fftOnly).isLessThan(4096);
    }

    @Test
    void aResetRestartsTheFramingAtTheNextSample() {
        float[] x = RefData.f32("speech_16k.f32");
        StreamingLogMel s = new StreamingLogMel(new LogMelSpectrogram(16000));
        List<double[]> cols = new ArrayList<>();
        StreamingLogMel.ColumnSink sink = (col, index) -> cols.add(col.clone());
        s.push(x, 0, 8000, sink);
        assertThat(s.columnsEmitted()).isEqualTo(s.columnsFor(8000));
        cols.clear();
        // A gap (seq 1 is missing, say): after the reset, the next sample is the start of a new stream.
        s.reset();
        assertThat(s.columnsEmitted()).isZero();
        float[] after = Arrays.copyOfRange(x, 8000, 16000);
        s.push(after, 0, after.length, sink);
        double[][] fresh = new LogMelSpectrogram(16000).compute(after);
        assertThat(cols).hasSize((int) s.columnsFor(8000));
        for (int t = 0; t < cols.size(); t++) {
            for (int m = 0; m < 128; m++) {
                assertThat(cols.get(t)[m]).isEqualTo(fresh[m][t]);
            }
        }
    }
}
