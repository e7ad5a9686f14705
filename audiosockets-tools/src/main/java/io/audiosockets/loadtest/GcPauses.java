package io.audiosockets.loadtest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of a JVM over an interval, read from its {@code -Xlog:gc} file
 * (lines such as {@code [3.2s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 60M->9M(1024M) 2.345ms}).
 *
 * @param count pauses in the interval, -1 if unknown
 * @param totalMs their total, ms
 * @param maxMs the longest, ms
 */
public record GcPauses(long count, double totalMs, double maxMs) {
    /** Not known: no GC log (a mailman in this JVM or elsewhere). */
    public static final GcPauses UNKNOWN = new GcPauses(-1, -1, -1);
    private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.*?(\\d+(?:\\.\\d+)?)ms\\s*$");

    /** Where the log file {@code log} ends now (a mark for {@link #between}), -1 if it cannot be read. */
    static long mark(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The pauses logged in {@code log} between two marks. */
    static GcPauses between(Path log, long from, long to) {
        if (from < 0 || to < from) {
            return UNKNOWN;
        }
        byte[] bytes = new byte[(int) (to - from)];
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(from);
            f.readFully(bytes);
        } catch (IOException e) {
            return UNKNOWN;
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The pauses in some lines of a GC log. */
    static GcPauses parse(String lines) {
        long count = 0;
        double total = 0;
        double max = 0;
        for (String line : lines.split("\n")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(1));
                count++;
                total += ms;
                max = Math.max(max, ms);
            }
        }
        return new GcPauses(count, Math.round(total * 1000) / 1000.0, max);
    }
}
