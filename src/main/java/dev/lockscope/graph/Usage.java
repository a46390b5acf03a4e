package dev.lockscope.graph;

/**
 * lockdep's per-class usage bits ({@code mark_usage}) and the 4-character usage string of its
 * reports ({@code {+.+.}}): positions are hardirq-write, hardirq-read, softirq-write,
 * softirq-read; {@code +} taken with that irq enabled, {@code -} taken in that irq context,
 * {@code ?} both, {@code .} neither.
 */
public final class Usage {
    public static final int USED_IN_HARDIRQ = 1;
    public static final int USED_IN_HARDIRQ_READ = 1 << 1;
    public static final int ENABLED_HARDIRQ = 1 << 2;
    public static final int ENABLED_HARDIRQ_READ = 1 << 3;
    public static final int USED_IN_SOFTIRQ = 1 << 4;
    public static final int USED_IN_SOFTIRQ_READ = 1 << 5;
    public static final int ENABLED_SOFTIRQ = 1 << 6;
    public static final int ENABLED_SOFTIRQ_READ = 1 << 7;
    public static final int USED = 1 << 8;
    /** The irq state was known for at least one acquisition (the trace had a flags column). */
    public static final int KNOWN = 1 << 9;

    private Usage() {
    }

    public static String string(int usage) {
        return new String(new char[] {c(usage, 0), c(usage, 1), c(usage, 4), c(usage, 5)});
    }

    private static char c(int usage, int bit) {
        char ch = '.';
        if ((usage & (1 << (bit + 2))) != 0) {
            ch = '+';
        }
        if ((usage & (1 << bit)) != 0) {
            ch = ch == '+' ? '?' : '-';
        }
        return ch;
    }
}
