package io.audiosockets.loadtest;

import java.util.Locale;

/** Number formatting for the tables: thousands separators, fixed decimals, "-" for unknown. */
final class Fmt {
    private Fmt() {
    }

    /** {@code v} with {@code decimals} decimals and thousands separators; "-" if negative (unknown). */
    static String num(double v, int decimals) {
        if (v < 0 || Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** A count with thousands separators. */
    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Milliseconds with three decimals (microsecond resolution). */
    static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** "p50 / p99 / max" in ms. */
    static String p50p99max(Percentiles p) {
        return p.count() == 0 ? "-" : ms(p.p50Ms()) + " / " + ms(p.p99Ms()) + " / " + ms(p.maxMs());
    }

    /** The relative change from {@code before} to {@code after}, e.g. "+4.2%". */
    static String change(double before, double after) {
        if (before <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.1f%%", (after - before) / before * 100);
    }

    /** "yes" or "NO". */
    static String yes(boolean ok) {
        return ok ? "yes" : "NO";
    }
}
