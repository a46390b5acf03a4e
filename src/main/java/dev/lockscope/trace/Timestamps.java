package dev.lockscope.trace;

/** Trace timestamps as text: {@code secs[.frac]} (any number of fraction digits) to nanoseconds, and back. */
final class Timestamps {
    private Timestamps() {
    }

    /**
     * b[s..e) as {@code secs.frac} (any number of fraction digits, scaled to ns), or a raw
     * counter without a fraction (ftrace's counter clocks print one), or -1 if it is neither.
     */
    static long parse(byte[] b, int s, int e) {
        long secs = 0;
        int p = s;
        while (p < e && b[p] >= '0' && b[p] <= '9') {
            if (p - s >= 18) {
                return -1;
            }
            secs = secs * 10 + (b[p] - '0');
            p++;
        }
        if (p == s) {
            return -1;
        }
        if (p == e) {
            return secs;
        }
        if (b[p] != '.' || secs >= 9_000_000_000L) {
            return -1;
        }
        p++;
        long frac = 0;
        int digits = 0;
        while (p < e && b[p] >= '0' && b[p] <= '9') {
            if (digits < 9) {
                frac = frac * 10 + (b[p] - '0');
                digits++;
            }
            p++;
        }
        if (p != e || digits == 0) {
            return -1;
        }
        for (int d = digits; d < 9; d++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }

    /** Nanoseconds as ftrace prints them: seconds and six fraction digits, nine when sub-microsecond digits exist. */
    static String format(long ns) {
        long secs = ns / 1_000_000_000L;
        long frac = ns % 1_000_000_000L;
        if (frac % 1000 == 0) {
            return String.format(java.util.Locale.ROOT, "%d.%06d", secs, frac / 1000);
        }
        return String.format(java.util.Locale.ROOT, "%d.%09d", secs, frac);
    }
}
