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
            return String.format(Locale.ROOT, "%d.%06d", secs, frac / 1000);
        }
        return String.format(Locale.ROOT, "%d.%09d", secs, frac);
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
