package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamFramerTest {

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1; // never 0, so a padded zero cannot pass for a sample
        }
        return x;
    }

    /** Frame t of the whole signal: samples [t*hop - lead, t*hop - lead + len), zeros before 0. */
    private static List<float[]> expected(float[] x, int len, int hop, int lead) {
        List<float[]> out = new ArrayList<>();
        for (int t = 0; (long) t * hop - lead + len <= x.length; t++) {
            float[] f = new float[len];
            for (int i = 0; i < len; i++) {
                int at = t * hop - lead + i;
                f[i] = at >= 0 ? x[at] : 0f;
            }
            out.add(f);
        }
        return out;
    }

    private static List<float[]> pushInRandomChunks(StreamFramer framer, float[] x, long seed, List<Long> starts) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        int at = 0;
        while (at < x.length) {
            int n = Math.min(x.length - at, r.nextInt(700));
            framer.push(x, at, n, (frame, index, start) -> {
                assertThat(index).isEqualTo(out.size());
                starts.add(start);
                out.add(frame.clone());
            });
            at += n;
        }
        return out;
    }

    @Test
    void framesContinueAcrossChunksOfAnySize() {
        float[] x = ramp(10_000);
        int[][] shapes = {{400, 160, 0}, {400, 160, 200}, {320, 320, 0}, {100, 250, 0}, {7, 3, 5}, {1, 1, 0}};
        for (int[] s : shapes) {
            for (long seed = 0; seed < 5; seed++) {
                StreamFramer framer = new StreamFramer(s[0], s[1], s[2]);
                List<Long> starts = new ArrayList<>();
                List<float[]> got = pushInRandomChunks(framer, x, seed, starts);
                List<float[]> want = expected(x, s[0], s[1], s[2]);
                assertThat(got).as("frame %d hop %d lead %d seed %d", s[0], s[1], s[2], seed).hasSameSizeAs(want);
                for (int t = 0; t < want.size(); t++) {
                    assertThat(got.get(t)).as("frame %d", t).containsExactly(want.get(t));
                    assertThat(starts.get(t)).isEqualTo((long) t * s[1] - s[2]);
                }
                assertThat(framer.framesEmitted()).isEqualTo(want.size()).isEqualTo(framer.framesFor(x.length));
                assertThat(framer.samplesPushed()).isEqualTo(x.length);
            }
        }
    }

    @Test
    void resetStartsFreshFromTheNextChunk() {
        StreamFramer framer = new StreamFramer(4, 2, 1);
        float[] a = {1, 2, 3, 4, 5};
        assertThat(framer.push(a)).hasSize(2); // [0 1 2 3], [2 3 4 5]
        framer.reset();
        assertThat(framer.framesEmitted()).isZero();
        List<float[]> after = framer.push(new float[] {10, 11, 12, 13, 14});
        // Nothing from before the gap: leading zero, then the new chunk only.
        assertThat(after).hasSize(2);
        assertThat(after.get(0)).containsExactly(0, 10, 11, 12);
        assertThat(after.get(1)).containsExactly(11, 12, 13, 14);
    }

    @Test
    void ofMillisRoundsLikeLibrosa() {
        StreamFramer f = StreamFramer.ofMillis(44100, 25, 10);
        assertThat(f.frameLength()).isEqualTo(1102);
        assertThat(f.hopLength()).isEqualTo(441);
        assertThat(StreamFramer.ofMillis(16000, 20, 20).frameLength()).isEqualTo(320);
    }

    @Test
    void rejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> new StreamFramer(0, 1)).hasMessage("frameLength : 0 (expected: > 0)");
        assertThatThrownBy(() -> new StreamFramer(4, 0)).hasMessage("hopLength : 0 (expected: > 0)");
        assertThatThrownBy(() -> new StreamFramer(4, 2, 4)).hasMessage("leadingZeros : 4 (expected: 0..3)");
        assertThatThrownBy(() -> StreamFramer.ofMillis(16000, 0.01, 10))
                .hasMessageStartingWith("frameMs : 0.01 (expected: at least one sample");
        StreamFramer f = new StreamFramer(4, 2);
        assertThatThrownBy(() -> f.push(new float[3], 2, 2, (a, b, c) -> { }))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(Arrays.asList(f.framesEmitted(), f.samplesPushed())).containsExactly(0L, 0L);
    }
}
