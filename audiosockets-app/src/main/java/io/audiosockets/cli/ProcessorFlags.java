package io.audiosockets.cli;

import io.audiosockets.processor.ProcessorOptions;
import io.audiosockets.protocol.StartPosition;
import java.time.Duration;
import java.util.Locale;

/** What {@code process} and {@code bridge} read from the mailman the same way: {@code --start} and {@code --window}. */
final class ProcessorFlags {
    private ProcessorFlags() {
    }

    /**
     * {@code --start}: resume, live, oldest, or seconds back ("10s", "2.5").
     *
     * @throws IllegalArgumentException naming the option and what it expects
     */
    static StartPosition startPosition(String start) {
        String s = start.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "resume" -> StartPosition.RESUME;
            case "live" -> StartPosition.LIVE;
            case "oldest" -> StartPosition.OLDEST;
            default -> StartPosition.secondsBack(Duration.ofMillis(Math.round(secondsBack(start, s) * 1000)));
        };
    }

    private static double secondsBack(String start, String s) {
        try {
            double seconds = Double.parseDouble(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
            if (seconds >= 0 && seconds < 1e9) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // the error below says what is expected
        }
        throw new IllegalArgumentException("--start " + start + ": expected resume, live, oldest or seconds back such as 10s");
    }

    /**
     * {@code --window}, if given, on {@code options}.
     *
     * @throws IllegalArgumentException if it is outside 1..65535
     */
    static void window(ProcessorOptions.Builder options, Integer window) {
        if (window != null) {
            if (window < 1 || window > 65_535) {
                throw new IllegalArgumentException("--window " + window + ": expected 1..65535 chunks");
            }
            options.window(window);
        }
    }
}
