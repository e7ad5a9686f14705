package io.audiosockets.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.testkit.TestMixerProvider;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Devices as javax.sound.sampled lists them (the test sound card, through its MixerProvider): listing, selection, formats. */
class InputDeviceTest {

    @AfterEach
    void restoreDevices() {
        TestMixerProvider.setPresent(true);
    }

    @Test
    void listsEveryCaptureDeviceNumberedWithItsFormatsAndSkipsPlaybackOnlyOnes() {
        List<InputDevice> devices = InputDevice.list();
        assertThat(devices).extracting(InputDevice::index).containsExactly(0, 1);
        assertThat(devices).extracting(InputDevice::name).containsExactly("Test Microphone", "Test USB Headset");
        assertThat(devices.get(0).description()).isEqualTo("test capture device: every PCM format, any rate");
        assertThat(devices.get(0).formats()).extracting(InputDevice::describe)
                .contains("s16le, 1 ch, any rate", "s16be, 2 ch, any rate", "u8, 1 ch, any rate", "s24be, 2 ch, any rate",
                        "f32le, 1 ch, any rate");
        assertThat(devices.get(1).formats()).extracting(InputDevice::describe)
                .containsExactly("s16le, 1 ch, 48000 Hz", "s16le, 2 ch, 48000 Hz", "s16le, 1 ch, 44100 Hz", "s16le, 2 ch, 44100 Hz");
    }

    @Test
    void selectsByIndexByNamePartOrTheDefault() {
        assertThat(InputDevice.select(null).name()).isEqualTo("Test Microphone");
        assertThat(InputDevice.select("1").name()).isEqualTo("Test USB Headset");
        assertThat(InputDevice.select("usb").name()).isEqualTo("Test USB Headset");
        assertThat(InputDevice.select("test microphone").name()).isEqualTo("Test Microphone");
    }

    @Test
    void aWrongIndexOrNameIsAClearErrorListingTheDevices() {
        assertThatThrownBy(() -> InputDevice.select("7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no input device 7").hasMessageContaining("0..1")
                .hasMessageContaining("0 'Test Microphone'").hasMessageContaining("1 'Test USB Headset'");
        assertThatThrownBy(() -> InputDevice.select("webcam")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'webcam'").hasMessageContaining("no input device's name contains it")
                .hasMessageContaining("0 'Test Microphone'");
        assertThatThrownBy(() -> InputDevice.select("test")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matches 2 input devices");
    }

    @Test
    void noDeviceAtAllIsSaidPlainly() {
        TestMixerProvider.setPresent(false);
        assertThat(InputDevice.list()).isEmpty();
        assertThatThrownBy(() -> InputDevice.select(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no audio input device");
        assertThatThrownBy(() -> MicrophoneSource.builder().open()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no audio input device");
    }

    @Test
    void defaultsAre16kHzMono16BitIfOfferedElse48kHz() throws Exception {
        try (MicrophoneSource mic = MicrophoneSource.builder().open()) {
            assertThat(mic.format()).isEqualTo(new StreamFormat(16_000, 1, SampleFormat.PCM_S16LE));
            assertThat(InputDevice.sampleName(mic.lineFormat())).isEqualTo("s16le");
            assertThat(mic.bufferFrames()).as("10 blocks of 20 ms, not seconds").isEqualTo(3_200);
        }
        try (MicrophoneSource headset = MicrophoneSource.builder().device("headset").open()) {
            assertThat(headset.format()).isEqualTo(new StreamFormat(48_000, 1, SampleFormat.PCM_S16LE));
        }
        try (MicrophoneSource explicit = MicrophoneSource.builder().device("headset").sampleRate(44_100).channels(2).open()) {
            assertThat(explicit.format()).isEqualTo(new StreamFormat(44_100, 2, SampleFormat.PCM_S16LE));
        }
        try (MicrophoneSource s24 = MicrophoneSource.builder().sampleFormat("s24be").channels(2).sampleRate(8_000).open()) {
            assertThat(s24.format()).isEqualTo(new StreamFormat(8_000, 2, SampleFormat.FLOAT32LE));
            assertThat(s24.lineFormat().isBigEndian()).isTrue();
            assertThat(s24.lineFormat().getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
        }
    }

    @Test
    void aFormatTheDeviceCannotGiveIsRefusedWithTheListOfThoseItCan() {
        assertThatThrownBy(() -> MicrophoneSource.builder().device("headset").sampleRate(16_000).open())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 'Test USB Headset' cannot capture 16000 Hz, 1 ch")
                .hasMessageContaining("it offers: s16le, 1 ch, 48000 Hz; s16le, 2 ch, 48000 Hz; s16le, 1 ch, 44100 Hz; s16le, 2 ch, 44100 Hz");
        assertThatThrownBy(() -> MicrophoneSource.builder().device("headset").sampleFormat("s24").open())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot capture 48000 Hz, 1 ch, s24")
                .hasMessageContaining("s16le, 1 ch, 48000 Hz");
        assertThatThrownBy(() -> MicrophoneSource.builder().channels(6).open())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot capture 16000 Hz, 6 ch")
                .hasMessageContaining("s16le, 2 ch, any rate");
        assertThatThrownBy(() -> MicrophoneSource.builder().sampleFormat("s12").open())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample format 's12' is unknown");
    }
}
