package dev.lockscope.graph;

import dev.lockscope.util.IntList;
import dev.lockscope.util.LongIntMap;
import java.util.Arrays;

/**
 * The lock-chain cache ({@code lookup_chain_cache_add}): every distinct sequence of held
 * classes (per irq-context segment, with read state) is validated once, when first seen;
 * afterwards an acquisition that produces the same chain key is a hit and costs one hash
 * lookup. Each chain remembers the direct dependencies its validation produced, so a hit can
 * count how often each dependency is exercised without re-walking the stack.
 */
public final class ChainCache {
    /** The chain's validation found a same-class acquisition (re-checked on every hit). */
    public static final int HAS_RECURSION = 1;
    /** No dependency of the chain has gate candidates left (they only ever shrink): a repeated hit has nothing to narrow. */
    static final int UNGATED = 2;

    private final LongIntMap byKey = new LongIntMap(4096);
    private final IntList classPool = new IntList(16384);
    private final IntList edgePool = new IntList(8192);
    private int count;
    private long[] keys = new long[1024];
    private int[] irq = new int[1024];
    private int[] classOff = new int[1024];
    private int[] classLen = new int[1024];
    private int[] edgeOff = new int[1024];
    private int[] edgeLen = new int[1024];
    private int[] flags = new int[1024];
    private long[] hits = new long[1024];
    /** The part of hits already added to the chain's dependencies' exercise counts. */
    private long[] folded = new long[1024];
    /** The task (input ordinal in the high half) that hit each chain last; -1: none yet. */
    private long[] lastTask = new long[1024];

    public int size() {
        return count;
    }

    public int find(long key) {
        return byKey.get(key);
    }

    /** Adds a chain whose classes are the held entries [from..to); its edges are appended next via {@link #addEdge}. */
    int add(long key, int irqContext, HeldStack held, int from, int to) {
        int c = count++;
        if (c == keys.length) {
            int n = c * 2;
            keys = Arrays.copyOf(keys, n);
            irq = Arrays.copyOf(irq, n);
            classOff = Arrays.copyOf(classOff, n);
            classLen = Arrays.copyOf(classLen, n);
            edgeOff = Arrays.copyOf(edgeOff, n);
            edgeLen = Arrays.copyOf(edgeLen, n);
            flags = Arrays.copyOf(flags, n);
            hits = Arrays.copyOf(hits, n);
            folded = Arrays.copyOf(folded, n);
            lastTask = Arrays.copyOf(lastTask, n);
        }
        lastTask[c] = -1;
        keys[c] = key;
        irq[c] = irqContext;
        classOff[c] = classPool.size();
        classLen[c] = to - from;
        for (int i = from; i < to; i++) {
            classPool.add(held.hlock(i));
        }
        edgeOff[c] = edgePool.size();
        byKey.put(key, c);
        return c;
    }

    /** Appends an edge to the most recently added chain {@code c}. */
    public void addEdge(int c, int edge) {
        edgePool.add(edge);
        edgeLen[c]++;
    }

    /** Counts a hit of chain c by {@code taskKey}; false if that task was also the last to hit it. */
    public boolean hitBy(int c, long taskKey) {
        hits[c]++;
        if (lastTask[c] == taskKey) {
            return false;
        }
        lastTask[c] = taskKey;
        return true;
    }

    public long hits(int c) {
        return hits[c];
    }

    /** The hits of chain c since the last call (then counted as folded). */
    long takeUnfolded(int c) {
        long n = hits[c] - folded[c];
        folded[c] = hits[c];
        return n;
    }

    public void flag(int c, int f) {
        flags[c] |= f;
    }

    public int flags(int c) {
        return flags[c];
    }

    public int edgeCount(int c) {
        return edgeLen[c];
    }

    public int edge(int c, int i) {
        return edgePool.get(edgeOff[c] + i);
    }

    public int irq(int c) {
        return irq[c];
    }

    public long key(int c) {
        return keys[c];
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
