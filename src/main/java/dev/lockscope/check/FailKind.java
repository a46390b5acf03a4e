package dev.lockscope.check;

import dev.lockscope.analysis.Finding;

/**
 * The kinds of finding {@code lockscope check} can gate on ({@code --fail-on}). A finding may
 * belong to several (a deadlock cycle is both {@code cycle} and {@code feasible-cycle}).
 */
public enum FailKind {
    /** Every circular dependency, whatever its verdict. */
    CYCLE("cycle"),
    /** A circular dependency whose verdict is {@code deadlock} and whose feasibility tag is {@code feasible}. */
    FEASIBLE_CYCLE("feasible-cycle"),
    /** Recursive locking of one instance, and nested acquisition of one class. */
    RECURSION("recursion"),
    /** Inconsistent irq lock state, and irq-safe → irq-unsafe lock order. */
    IRQ("irq"),
    /** Bad unlock balance. */
    UNBALANCED("unbalanced");

    private final String label;

    FailKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static FailKind parse(String s) {
        for (FailKind k : values()) {
            if (k.label.equals(s.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + s.strip() + "' (expected cycle, feasible-cycle, recursion, irq or unbalanced)");
    }

    /** Whether {@code f} is of this kind. */
    public boolean matches(Finding f) {
        return switch (this) {
            case CYCLE -> f instanceof Finding.CircularDependency;
            case FEASIBLE_CYCLE -> f instanceof Finding.CircularDependency c && c.isDeadlock() && c.tags().contains("feasible");
            case RECURSION -> f instanceof Finding.Recursion;
            case IRQ -> f instanceof Finding.IrqInconsistent || f instanceof Finding.IrqOrder;
            case UNBALANCED -> f instanceof Finding.BadUnlock;
        };
    }

    /** The finding's own kind label, as reports name it (the most specific that applies). */
    public static String kindOf(Finding f) {
        if (f instanceof Finding.CircularDependency c) {
            return c.isDeadlock() ? "feasible-cycle" : "cycle";
        }
        for (FailKind k : values()) {
            if (k.matches(f)) {
                return k.label;
            }
        }
        return "other";
    }
}
