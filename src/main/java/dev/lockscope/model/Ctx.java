package dev.lockscope.model;

/**
 * The execution context of one event, packed into an int so the hot path passes it without
 * allocating. It comes from ftrace's flags column ({@code d..2.}, {@code d.h1.}, {@code ..s1.}).
 *
 * <p>Bits 0-1 are lockdep's {@code irq_context}: 0 process, 1 softirq, 2 hardirq,
 * 3 hardirq that interrupted a softirq. Lockdep never makes a dependency between locks of
 * different irq contexts; irq interactions are covered by the usage bits instead.
 */
public final class Ctx {
    public static final int PROCESS = 0;
    public static final int SOFTIRQ = 1;
    public static final int HARDIRQ = 2;
    public static final int HARDIRQ_IN_SOFTIRQ = 3;
    public static final int IRQ_MASK = 3;
    /** In NMI: lockdep does not track locks there. */
    public static final int NMI = 1 << 2;
    /** Hard interrupts were disabled ({@code d} or {@code D}). */
    public static final int HARDIRQS_OFF = 1 << 3;
    /** Bottom halves were disabled ({@code b} or {@code D}). */
    public static final int SOFTIRQS_OFF = 1 << 4;
    /** The trace carried a flags column; without it the irq state is unknown. */
    public static final int KNOWN = 1 << 5;

    private Ctx() {
    }

    public static int irq(int ctx) {
        return ctx & IRQ_MASK;
    }

    public static boolean inHardirq(int ctx) {
        return (ctx & HARDIRQ) != 0;
    }

    public static boolean inSoftirq(int ctx) {
        return (ctx & SOFTIRQ) != 0;
    }

    public static String irqName(int irq) {
        return switch (irq & IRQ_MASK) {
            case PROCESS -> "process";
            case SOFTIRQ -> "softirq";
            case HARDIRQ -> "hardirq";
            default -> "hardirq|softirq";
        };
    }
}
