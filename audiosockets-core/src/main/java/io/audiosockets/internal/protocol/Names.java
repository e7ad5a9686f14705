package io.audiosockets.internal.protocol;

import java.util.regex.Pattern;

/**
 * The rule for stream and processor names: 1 to {@value #MAX_LENGTH} characters of letters,
 * digits, '.', '_' and '-'. Names appear in logs, file names and metrics, so they are kept plain.
 */
public final class Names {
    /** Longest name, in characters. */
    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private Names() {
    }

    /** True if {@code name} follows the rule. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /**
     * Returns {@code name} if valid.
     *
     * @param what what the name is for, e.g. "stream name", for the message
     * @throws IllegalArgumentException saying what is wrong and what is allowed
     */
    public static String check(String name, String what) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(problem(name, what));
        }
        return name;
    }

    /** Why {@code name} is refused, for an error message. */
    public static String problem(String name, String what) {
        String shown = name.length() <= 80 ? name : name.substring(0, 80) + "...(" + name.length() + " chars)";
        return what + " '" + shown + "' is not allowed: use 1 to " + MAX_LENGTH
                + " characters of letters, digits, '.', '_' and '-'";
    }
}
