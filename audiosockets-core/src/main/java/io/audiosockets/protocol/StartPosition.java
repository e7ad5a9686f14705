package io.audiosockets.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a processor wants to start in each stream when it registers, unless it names an exact
 * position to resume from.
 *
 * @param mode where to start
 * @param back for {@link Mode#SECONDS_BACK}: how much audio to go back; zero otherwise
 */
public record StartPosition(Mode mode, Duration back) {

    /** The ways a processor may start. Wire codes are fixed forever. */
    public enum Mode {
        /** Resume where this processor name left off, if the mailman remembers it; else {@link #LIVE}. */
        RESUME(0),
        /** Only chunks that arrive after registration. */
        LIVE(1),
        /** From the oldest chunk the mailman still retains. */
        OLDEST(2),
        /** From the chunk that holds audio captured {@code back} before the newest one. */
        SECONDS_BACK(3);

        private final int code;

        Mode(int code) {
            this.code = code;
        }

        /** The mode's byte on the wire. */
        public int code() {
            return code;
        }

        /** The mode with this code, or {@code null}. */
        public static Mode fromCode(int code) {
            for (Mode m : values()) {
                if (m.code == code) {
                    return m;
                }
            }
            return null;
        }
    }

    /** Resume where the name left off, else live: the default. */
    public static final StartPosition RESUME = new StartPosition(Mode.RESUME, Duration.ZERO);
    /** Live only. */
    public static final StartPosition LIVE = new StartPosition(Mode.LIVE, Duration.ZERO);
    /** From the oldest retained chunk. */
    public static final StartPosition OLDEST = new StartPosition(Mode.OLDEST, Duration.ZERO);

    /** Validates the fields. */
    public StartPosition {
        Objects.requireNonNull(mode, "mode == null");
        Objects.requireNonNull(back, "back == null");
        if (back.isNegative()) {
            throw new IllegalArgumentException("back : " + back + " (expected: >= 0)");
        }
    }

    /** Start {@code back} before the newest chunk of each stream. */
    public static StartPosition secondsBack(Duration back) {
        return new StartPosition(Mode.SECONDS_BACK, back);
    }
}
