package dev.lockscope.graph;

import dev.lockscope.util.LongIntMap;
import java.util.Arrays;

/**
 * Waits reported by {@code lock:contention_begin/end} (5.19+, also on kernels without lockdep).
 * They carry the lock object's address and flags but no name. An address gets a class when the
 * trace names it: the reader's hint (an mmap_lock being taken), the lock the task was just
 * acquiring in a lock_acquire (a lockdep kernel fires lock_acquire, then contention_begin), an
 * earlier such naming of the same address, or a symbol from {@code --symbols}. Otherwise it is a
 * stable synthetic class per (lock type, address), named {@code (unnamed rwsem:W ffff...)}.
 * Per class: how many waits, total and longest wait.
 */
public final class Contention {
    private final LongIntMap named = new LongIntMap(1024);
    private long[] waits = new long[64];
    private long[] waitNs = new long[64];
    private long[] maxWaitNs = new long[64];
    private long[] minWaitNs = new long[64];
    public long begins;
    public long ends;
    /** contention_end without a begin in the window. */
    public long unmatchedEnds;
    public long namedByTrace;
    public long namedBySymbol;
    public long unnamed;

    int classFor(long addr) {
        return named.get(addr);
    }

    void name(long addr, int cls) {
        named.put(addr, cls);
    }

    void waited(int cls, long ns) {
        if (cls >= waits.length) {
            int n = Math.max(cls + 1, waits.length * 2);
            waits = Arrays.copyOf(waits, n);
            waitNs = Arrays.copyOf(waitNs, n);
            maxWaitNs = Arrays.copyOf(maxWaitNs, n);
            minWaitNs = Arrays.copyOf(minWaitNs, n);
        }
        waits[cls]++;
        LockStats.addTime(waitNs, cls, maxWaitNs, cls, minWaitNs, cls, ns);
    }

    public long minWaitNs(int cls) {
        return cls < minWaitNs.length ? minWaitNs[cls] : 0;
    }

    public long waits(int cls) {
        return cls < waits.length ? waits[cls] : 0;
    }

    public long waitNs(int cls) {
        return cls < waitNs.length ? waitNs[cls] : 0;
    }

    public long maxWaitNs(int cls) {
        return cls < maxWaitNs.length ? maxWaitNs[cls] : 0;
    }
}
