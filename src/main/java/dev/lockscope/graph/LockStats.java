package dev.lockscope.graph;

import java.util.Arrays;

/**
 * /proc/lock_stat's numbers from a trace (Documentation/locking/lockstat.rst), per class and mode
 * (index {@code cls * 2 + (read ? 1 : 0)}, the -W and -R rows):
 * acquisitions, contentions (lock_contended), wait time lock_contended → lock_acquired, and hold
 * time to lock_release from lock_acquired (or from lock_acquire for locks lock_stat does not
 * instrument), per instance and task: lock_stat stamps the hold in lockdep's own code, which runs
 * after the lock_acquire tracepoint and any interrupt that arrives right after it. Times in ns; min is the shortest non-zero, as lock_stat
 * keeps it. Holds whose start lies before the window, or whose end lies after it, are counted
 * apart, not guessed. Per class also: chain-cache hits and misses of its acquisitions (what a
 * tracker would validate) and the tasks that contended most.
 */
public final class LockStats {
    private static final int TOP = 4;
    /** Longs per class and mode: what one event updates is 64 contiguous bytes. */
    private static final int ROW = 8;
    private static final int ACQ = 0;
    private static final int HOLDS = 1;
    private static final int HOLD_TOTAL = 2;
    private static final int HOLD_MAX = 3;
    private static final int HOLD_MIN = 4;
    private static final int CONT = 5;
    private static final int WAIT_TOTAL = 6;
    private static final int WAIT_MAX = 7;
    /** Class-and-mode rows there is room for. */
    private int n = 1024;
    private long[] rows = new long[n * ROW];
    private long[] waitMin = new long[n];
    private long[] holdsBefore = new long[n / 2];
    private long[] chainHits = new long[n / 2];
    private long[] chainMisses = new long[n / 2];
    private String[][] topTasks = new String[n / 2][];
    private long[][] topCounts = new long[n / 2][];
    long firstNs = Long.MAX_VALUE;
    long lastNs = Long.MIN_VALUE;

    /** Small enough for C1 to inline into every per-event caller; the growth is a call of its own. */
    private void ensure(int cls) {
        if (cls * 2 + 1 >= n) {
            grow(cls);
        }
    }

    private void grow(int cls) {
        int m = Math.max(cls * 2 + 2, n * 2);
        rows = Arrays.copyOf(rows, m * ROW);
        waitMin = Arrays.copyOf(waitMin, m);
        holdsBefore = Arrays.copyOf(holdsBefore, m / 2);
        chainHits = Arrays.copyOf(chainHits, m / 2);
        chainMisses = Arrays.copyOf(chainMisses, m / 2);
        topTasks = Arrays.copyOf(topTasks, m / 2);
        topCounts = Arrays.copyOf(topCounts, m / 2);
        n = m;
    }

    void time(long ns) {
        if (ns < firstNs) {
            firstNs = ns;
        }
        if (ns > lastNs) {
            lastNs = ns;
        }
    }

    void acquired(int cls, boolean read) {
        ensure(cls);
        rows[(cls * 2 + (read ? 1 : 0)) * ROW + ACQ]++;
    }

    /**
     * Per class, the chain-cache hits and misses of its acquisitions, derived from the chains when
     * read rather than counted per event: a chain is validated once (a miss of its top class) and
     * then hit; its top entry is the acquisition that looked it up.
     */
    void countChains(ChainCache chains) {
        Arrays.fill(chainHits, 0);
        Arrays.fill(chainMisses, 0);
        for (int c = 0, k = chains.size(); c < k; c++) {
            int cls = chains.hlock(c, chains.depth(c) - 1) >>> 2;
            ensure(cls);
            chainMisses[cls]++;
            chainHits[cls] += chains.hits(c);
        }
    }

    void contended(int cls, boolean read, String task) {
        ensure(cls);
        rows[(cls * 2 + (read ? 1 : 0)) * ROW + CONT]++;
        if (task != null) {
            topTask(cls, task);
        }
    }

    void waited(int cls, boolean read, long ns) {
        ensure(cls);
        int i = cls * 2 + (read ? 1 : 0);
        addTime(rows, i * ROW + WAIT_TOTAL, rows, i * ROW + WAIT_MAX, waitMin, i, ns);
    }

    void held(int cls, boolean read, long ns) {
        ensure(cls);
        long[] r = rows;
        int b = (cls * 2 + (read ? 1 : 0)) * ROW;
        r[b + HOLDS]++;
        addTime(r, b + HOLD_TOTAL, r, b + HOLD_MAX, r, b + HOLD_MIN, ns);
    }

    /**
     * Adds a time: to the total at {@code total[t]}, the longest at {@code max[x]}, and the
     * shortest non-zero (lock_stat's min) at {@code min[m]}.
     */
    static void addTime(long[] total, int t, long[] max, int x, long[] min, int m, long ns) {
        total[t] += ns;
        if (ns > max[x]) {
            max[x] = ns;
        }
        if (ns > 0 && (min[m] == 0 || ns < min[m])) {
            min[m] = ns;
        }
    }

    void heldBeforeWindow(int cls) {
        ensure(cls);
        holdsBefore[cls]++;
    }

    /** Keeps the {@value #TOP} tasks with most contentions exactly while they fit, then replaces the smallest. */
    private void topTask(int cls, String task) {
        String[] t = topTasks[cls];
        long[] c = topCounts[cls];
        if (t == null) {
            t = new String[TOP];
            c = new long[TOP];
            topTasks[cls] = t;
            topCounts[cls] = c;
        }
        int min = 0;
        for (int i = 0; i < TOP; i++) {
            if (task.equals(t[i])) {
                c[i]++;
                return;
            }
            if (t[i] == null) {
                t[i] = task;
                c[i] = 1;
                return;
            }
            if (c[i] < c[min]) {
                min = i;
            }
        }
        t[min] = task;
        c[min] = 1;
    }

    private long at(int field, int cls, boolean read) {
        int i = cls * 2 + (read ? 1 : 0);
        return i < n ? rows[i * ROW + field] : 0;
    }

    public long acquisitions(int cls, boolean read) {
        return at(ACQ, cls, read);
    }

    public long contentions(int cls, boolean read) {
        return at(CONT, cls, read);
    }

    public long waitMin(int cls, boolean read) {
        int i = cls * 2 + (read ? 1 : 0);
        return i < n ? waitMin[i] : 0;
    }

    public long waitMax(int cls, boolean read) {
        return at(WAIT_MAX, cls, read);
    }

    public long waitTotal(int cls, boolean read) {
        return at(WAIT_TOTAL, cls, read);
    }

    public long holds(int cls, boolean read) {
        return at(HOLDS, cls, read);
    }

    public long holdMin(int cls, boolean read) {
        return at(HOLD_MIN, cls, read);
    }

    public long holdMax(int cls, boolean read) {
        return at(HOLD_MAX, cls, read);
    }

    public long holdTotal(int cls, boolean read) {
        return at(HOLD_TOTAL, cls, read);
    }

    public long holdsBeforeWindow(int cls) {
        return cls < holdsBefore.length ? holdsBefore[cls] : 0;
    }

    public long chainHits(int cls) {
        return cls < chainHits.length ? chainHits[cls] : 0;
    }

    public long chainMisses(int cls) {
        return cls < chainMisses.length ? chainMisses[cls] : 0;
    }

    /** "comm-pid:count" of the tasks that contended most, most first. */
    public java.util.List<String> topContenders(int cls) {
        if (cls >= topTasks.length || topTasks[cls] == null) {
            return java.util.List.of();
        }
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        for (int i = 0; i < TOP; i++) {
            if (topTasks[cls][i] != null) {
                idx.add(i);
            }
        }
        String[] t = topTasks[cls];
        long[] c = topCounts[cls];
        idx.sort((a, b) -> c[a] != c[b] ? Long.compare(c[b], c[a]) : t[a].compareTo(t[b]));
        return idx.stream().map(i -> t[i] + ":" + c[i]).toList();
    }

    /** Trace time covered by lock events, in ns (0 when fewer than two timestamps). */
    public long spanNs() {
        return lastNs > firstNs ? lastNs - firstNs : 0;
    }
}
