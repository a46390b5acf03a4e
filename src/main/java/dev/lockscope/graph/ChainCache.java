package dev.lockscope.graph;

import dev.lockscope.util.IntList;
import java.util.Arrays;

/**
 * The lock-chain cache ({@code lookup_chain_cache_add}): every distinct sequence of held
 * classes (per irq-context segment, with read state) is validated once, when first seen;
 * afterwards an acquisition that produces the same chain key is a hit and costs one hash
 * lookup. Each chain remembers the direct dependencies its validation produced, so a hit can
 * count how often each dependency is exercised without re-walking the stack.
 *
 * <p>Laid out for the hit path: the hash table keeps each key next to its chain's index, and
 * what a hit reads and writes of a chain (hits, flags, its edges, the tasks that hit it last)
 * is one row of {@value #ROW} contiguous longs: a hit reads the table slot and that row, not
 * ten arrays.
 */
public final class ChainCache {
    /** The chain's validation found a same-class acquisition (re-checked on every hit). */
    public static final int HAS_RECURSION = 1;
    /** No dependency of the chain has gate candidates left (they only ever shrink): a repeated hit has nothing to narrow. */
    static final int UNGATED = 2;

    /** Tasks remembered per chain as having done every per-task step of a hit. */
    private static final int RECENT = 4;
    private static final int ROW = 8;
    private static final int HITS = 0;
    /** Flags (bits 0-15), the next of the RECENT task slots to replace (bits 16-17), the number of edges (high half). */
    private static final int FLAGS_EDGES = 1;
    private static final int CURSOR_SHIFT = 16;
    private static final long CURSOR_MASK = (long) (RECENT - 1) << CURSOR_SHIFT;
    private static final int EDGE_OFF = 2;
    private static final int KEY = 3;
    private static final int TASKS = 4;
    /** Marks an unused task slot: a task key is never -1 (its low half is a task index, never negative). */
    private static final long NO_TASK = -1;

    /** Open addressing, two longs a slot: chain key, chain index + 1 (0: empty slot). */
    private long[] table = new long[2 * 4096];
    private int mask = 4096 - 1;
    private final IntList classPool = new IntList(16384);
    private final IntList edgePool = new IntList(8192);
    private int count;
    private long[] rows = new long[1024 * ROW];
    private int[] irq = new int[1024];
    private int[] classOff = new int[1024];
    private int[] classLen = new int[1024];
    /** The part of hits already added to the chain's dependencies' exercise counts. */
    private long[] folded = new long[1024];

    public int size() {
        return count;
    }

    /** The chain with this key, or -1. The key is a jhash of the held classes: its bits need no further mixing. */
    public int find(long key) {
        long[] t = table;
        int m = mask;
        for (int i = (int) (key ^ key >>> 32) & m; ; i = (i + 1) & m) {
            long v = t[2 * i + 1];
            if (v == 0) {
                return -1;
            }
            if (t[2 * i] == key) {
                return (int) v - 1;
            }
        }
    }

    private void put(long key, int c) {
        if (2 * (count + 1) > mask + 1) {
            long[] old = table;
            table = new long[2 * old.length];
            mask = old.length - 1;
            for (int i = 0; i < old.length; i += 2) {
                if (old[i + 1] != 0) {
                    insert(old[i], old[i + 1]);
                }
            }
        }
        insert(key, c + 1L);
    }

    private void insert(long key, long value) {
        int i = (int) (key ^ key >>> 32) & mask;
        while (table[2 * i + 1] != 0) {
            i = (i + 1) & mask;
        }
        table[2 * i] = key;
        table[2 * i + 1] = value;
    }

    /** Adds a chain whose classes are the held entries [from..to); its edges are appended next via {@link #addEdge}. */
    int add(long key, int irqContext, HeldStack held, int from, int to) {
        int c = count;
        if (c == irq.length) {
            int n = c * 2;
            rows = Arrays.copyOf(rows, n * ROW);
            irq = Arrays.copyOf(irq, n);
            classOff = Arrays.copyOf(classOff, n);
            classLen = Arrays.copyOf(classLen, n);
            folded = Arrays.copyOf(folded, n);
        }
        put(key, c);
        count++;
        int r = c * ROW;
        rows[r + EDGE_OFF] = edgePool.size();
        rows[r + KEY] = key;
        Arrays.fill(rows, r + TASKS, r + TASKS + RECENT, NO_TASK);
        irq[c] = irqContext;
        classOff[c] = classPool.size();
        classLen[c] = to - from;
        for (int i = from; i < to; i++) {
            classPool.add(held.hlock(i));
        }
        return c;
    }

    /** Appends an edge to the most recently added chain {@code c}. */
    public void addEdge(int c, int edge) {
        edgePool.add(edge);
        rows[c * ROW + FLAGS_EDGES] += 1L << 32;
    }

    /**
     * Counts a hit of chain c by {@code taskKey}; false if that task is one of the last
     * {@value #RECENT} to hit it, so that it did every per-task step for the chain's edges
     * already (those steps are idempotent per task).
     */
    public boolean hitBy(int c, long taskKey) {
        long[] rw = rows;
        int r = c * ROW;
        rw[r + HITS]++;
        if (rw[r + TASKS] == taskKey || rw[r + TASKS + 1] == taskKey || rw[r + TASKS + 2] == taskKey
                || rw[r + TASKS + 3] == taskKey) {
            return false;
        }
        long fe = rw[r + FLAGS_EDGES];
        int slot = (int) ((fe & CURSOR_MASK) >>> CURSOR_SHIFT);
        rw[r + TASKS + slot] = taskKey;
        rw[r + FLAGS_EDGES] = (fe & ~CURSOR_MASK) | (long) ((slot + 1) & (RECENT - 1)) << CURSOR_SHIFT;
        return true;
    }

    public long hits(int c) {
        return rows[c * ROW + HITS];
    }

    /** The hits of chain c since the last call (then counted as folded). */
    long takeUnfolded(int c) {
        long h = hits(c);
        long n = h - folded[c];
        folded[c] = h;
        return n;
    }

    public void flag(int c, int f) {
        rows[c * ROW + FLAGS_EDGES] |= f & 0xffff;
    }

    public int flags(int c) {
        return (int) rows[c * ROW + FLAGS_EDGES] & 0xffff;
    }

    public int edgeCount(int c) {
        return (int) (rows[c * ROW + FLAGS_EDGES] >>> 32);
    }

    public int edge(int c, int i) {
        return edgePool.get((int) rows[c * ROW + EDGE_OFF] + i);
    }

    public int irq(int c) {
        return irq[c];
    }

    public long key(int c) {
        return rows[c * ROW + KEY];
    }

    public int depth(int c) {
        return classLen[c];
    }

    /** The i-th held lock of chain c as an hlock id (class &lt;&lt; 2 | read). */
    public int hlock(int c, int i) {
        return classPool.get(classOff[c] + i);
    }

    public long hlockEntries() {
        return classPool.size();
    }
}
