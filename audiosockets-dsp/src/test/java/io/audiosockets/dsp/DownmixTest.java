package io.audiosockets.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DownmixTest {

    @Test
    void eachFrameBecomesTheMeanOfItsChannels() {
        float[] stereo = {1f, 0f, 0.5f, -0.5f, -1f, 0.25f};
        assertThat(Downmix.toMono(stereo, 2)).containsExactly(0.5f, 0f, -0.375f);
        float[] threeChannels = {0.3f, 0.6f, 0.9f, -0.3f, 0f, 0.3f};
        assertThat(Downmix.toMono(threeChannels, 3)).containsExactly((float) ((0.3f + (double) 0.6f + 0.9f) / 3), 0f);
    }

    @Test
    void monoIsReturnedAsItIsWithoutACopy() {
        float[] mono = {0.1f, 0.2f};
        assertThat(Downmix.toMono(mono, 1)).isSameAs(mono);
    }

    @Test
    void theBufferVariantWritesOnlyItsRangeAndMayWorkInPlace() {
        float[] buffer = {9f, 1f, 0f, 0.5f, -0.5f, 9f};
        float[] dst = {7f, 7f, 7f, 7f};
        Downmix.toMono(buffer, 1, 2, 2, dst, 1);
        assertThat(dst).containsExactly(7f, 0.5f, 0f, 7f);
        Downmix.toMono(buffer, 1, 2, 2, buffer, 0);
        assertThat(buffer).startsWith(0.5f, 0f);
    }

    @Test
    void badShapesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> Downmix.toMono(new float[5], 2))
                .hasMessage("interleaved.length : 5 (expected: a multiple of channels = 2)");
        assertThatThrownBy(() -> Downmix.toMono(new float[4], 0)).hasMessage("channels : 0 (expected: > 0)");
        assertThatThrownBy(() -> Downmix.toMono(new float[4], 0, 3, 2, new float[3], 0))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("interleaved : offset 0, length 6 (expected: within an array of 4)");
        assertThatThrownBy(() -> Downmix.toMono(new float[4], 0, 2, 2, new float[1], 0))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("dst : offset 0, length 2 (expected: within an array of 1)");
    }
}
