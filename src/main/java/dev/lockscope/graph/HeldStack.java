package dev.lockscope.graph;

/**
 * One task's held-lock stack ({@code task_struct.held_locks[]}), laid out by entry: entry i is
 * {@value #STRIDE} consecutive longs of one primitive array, so a push writes 64 contiguous
 * bytes, a release reads them, and nothing is allocated. Entry i remembers the chain key before it
 * ({@code prev_chain_key}) so a release can rewind the key. The first long packs the class (low
 * 32 bits), the read state (0, 1 read, 2 recursive read), trylock and the irq context.
 */
final class HeldStack {
    /** Longs per entry: 64 bytes. */
    private static final int STRIDE = 8;
    private static final int META = 0;
    private static final int ADDR = 1;
    private static final int PREV_KEY = 2;
    private static final int LINE = 3;
    /** When the hold began (lock_acquired, else lock_acquire). */
    private static final int HOLD_START = 4;
    /** A pending lock_contended's time, or 0. */
    private static final int CONTEND_TS = 5;
    /** The engine's address-history slot of ADDR, so a release need not hash the address again. */
    private static final int HIST_SLOT = 6;
    private static final int READ_SHIFT = 32;
    private static final long TRYLOCK = 1L << 34;
    private static final int IRQ_SHIFT = 35;

    int depth;
    long chainKey = ChainKey.INITIAL;
    int lastCpu = -1;
    /** The class of the last non-try lock_acquire not yet followed by lock_acquired, or -1. */
    int awaitCls = -1;
    /** The class of the last lock_contended not yet followed by its lock_acquired, or -1. */
    int contendedCls = -1;
    long contendedAddr;
    /** The contention_begin this task waits in: address, class, start time (addr 0 = none). */
    long contAddr;
    int contCls;
    long contStart;
    /** Edges [mightFrom, mightTo) made by the acquisition of mightAddr just now (a zero-length hold marks them). */
    long mightAddr;
    int mightFrom;
    int mightTo;
    private final long[] e = new long[GraphBuilder.MAX_LOCK_DEPTH * STRIDE];

    void reset() {
        depth = 0;
        chainKey = ChainKey.INITIAL;
    }

    /** Writes entry d, held since {@code holdStart} with no lock_contended pending (the caller checked the depth limit). */
    void set(int d, long prevKey, int cls, int read, boolean trylock, int irq, long addr, int histSlot, long line,
             long holdStart) {
        int b = d * STRIDE;
        long[] a = e;
        a[b + META] = (cls & 0xffffffffL) | (long) read << READ_SHIFT | (trylock ? TRYLOCK : 0)
                | (long) irq << IRQ_SHIFT;
        a[b + ADDR] = addr;
        a[b + PREV_KEY] = prevKey;
        a[b + LINE] = line;
        a[b + HOLD_START] = holdStart;
        a[b + CONTEND_TS] = 0;
        a[b + HIST_SLOT] = histSlot;
    }

    /** Copies entries [from, from+n) of {@code src} to entries [0, n) of this stack. */
    void copyFrom(HeldStack src, int from, int n) {
        System.arraycopy(src.e, from * STRIDE, e, 0, n * STRIDE);
    }

    int cls(int i) {
        return (int) e[i * STRIDE + META];
    }

    int read(int i) {
        return (int) (e[i * STRIDE + META] >>> READ_SHIFT) & 3;
    }

    boolean trylock(int i) {
        return (e[i * STRIDE + META] & TRYLOCK) != 0;
    }

    int irq(int i) {
        return (int) (e[i * STRIDE + META] >>> IRQ_SHIFT) & 3;
    }

    /** {@code hlock_id}: class and read state, as the chain key hashes them. */
    int hlock(int i) {
        return ChainKey.hlockId(cls(i), read(i));
    }

    long addr(int i) {
        return e[i * STRIDE + ADDR];
    }

    long prevKey(int i) {
        return e[i * STRIDE + PREV_KEY];
    }

    long line(int i) {
        return e[i * STRIDE + LINE];
    }

    long holdStart(int i) {
        return e[i * STRIDE + HOLD_START];
    }

    void holdStart(int i, long ns) {
        e[i * STRIDE + HOLD_START] = ns;
    }

    long contendTs(int i) {
        return e[i * STRIDE + CONTEND_TS];
    }

    void contendTs(int i, long ns) {
        e[i * STRIDE + CONTEND_TS] = ns;
    }

    int histSlot(int i) {
        return (int) e[i * STRIDE + HIST_SLOT];
    }

    /** Index of the entry holding {@code addr} in any irq segment, or -1. */
    int findAnywhere(long address) {
        for (int i = depth - 1; i >= 0; i--) {
            if (e[i * STRIDE + ADDR] == address) {
                return i;
            }
        }
        return -1;
    }
}
