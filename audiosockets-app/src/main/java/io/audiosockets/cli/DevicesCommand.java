package io.audiosockets.cli;

import io.audiosockets.audio.InputDevice;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code audiosockets devices}: the audio input devices, numbered as {@code record --device N}
 * takes them, with the formats each offers (the paper's {@code --list-devices}). Exits 0, also
 * when there is none: the listing itself did not fail.
 */
@Command(name = "devices", aliases = "list-devices",
        description = "List the audio input devices (number, name, description, formats) for record --source mic --device.")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        print(spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
    }

    /**
     * Prints the listing to {@code out}; on a machine without input devices, "no input devices"
     * to {@code out} and what to do instead to {@code err}.
     */
    static void print(PrintWriter out, PrintWriter err) {
        List<InputDevice> devices = InputDevice.list();
        if (devices.isEmpty()) {
            out.println("no input devices");
            err.println("javax.sound.sampled lists no audio input device (no sound card, or no ALSA/PulseAudio device "
                    + "configured); to record anyway, " + SourceOptions.NO_MIC_HINT);
            out.flush();
            err.flush();
            return;
        }
        for (InputDevice d : devices) {
            out.println(d.index() + "  " + d.name() + (d.index() == 0 ? "  (default)" : ""));
            out.println("   " + d.description() + (d.mixerInfo().getVendor().isBlank() ? "" : ", " + d.mixerInfo().getVendor()));
            if (d.formats().isEmpty()) {
                out.println("   formats: none listed");
            }
            for (var f : d.formats()) {
                out.println("   " + InputDevice.describe(f) + (InputDevice.isConvertible(f) ? "" : "  (not supported here)"));
            }
        }
        out.flush();
    }
}
