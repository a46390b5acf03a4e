package dev.lockscope.report;

import dev.lockscope.model.HeldLock;
import java.util.Locale;

/** Shared formatting: ftrace-style timestamps, lockdep-style lock lines. */
final class Format {
    private Format() {
    }

    /** secs.usecs as ftrace prints them; nanoseconds when the input had them. */
    static String time(long ns) {
        long secs = ns / 1_000_000_000L;
        long frac = ns % 1_000_000_000L;
        if (frac % 1000 == 0) {
            return secs + "." + zeros(frac / 1000, 6);
        }
        return secs + "." + zeros(frac, 9);
    }

    /** {@code v} with leading zeros to {@code width} digits (String.format is slow before the JIT has run). */
    static String zeros(long v, int width) {
        String s = Long.toString(v);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    /** {@code v} right-aligned in {@code width} columns. */
    static String right(long v, int width) {
        String s = Long.toString(v);
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    static String addr(long a) {
        return String.format(Locale.ROOT, "%016x", a);
    }

    static String usage(String u) {
        return u == null ? "" : "{" + u + "}";
    }

    static String mode(int read) {
        return switch (read) {
            case 0 -> "write";
            case 1 -> "read";
            default -> "recursive read";
        };
    }

    /** {@code ffff... (name), read, at: line N} in lockdep's print_lock spirit. */
    static String held(HeldLock h) {
        StringBuilder sb = new StringBuilder();
        sb.append(addr(h.addr())).append(" (").append(h.cls()).append(')');
        if (h.trylock()) {
            sb.append(" try");
        }
        if (h.read() != 0) {
            sb.append(' ').append(mode(h.read()));
        }
        if (h.irq() != 0) {
            sb.append(" in ").append(dev.lockscope.model.Ctx.irqName(h.irq()));
        }
        sb.append(", at: line ").append(h.line());
        return sb.toString();
    }
}
