package dev.lockscope.graph;

import dev.lockscope.util.LongIntMap;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What the witnesses of each dependency have in common, kept as the engine makes and re-uses
 * edges, for the feasibility checks (analysis/CheckFeasibility). Fixed-size records per edge,
 * updated in place: memory grows with edges, never with trace length.
 *
 * <ul>
 *   <li>the first task that made the edge, and whether another task made it too (on a chain miss
 *       or a chain hit: every acquisition that re-used the edge counts). A task is its pid and its
 *       comm: a pid seen with another comm may be an exec (the same task) or a reused pid (another
 *       task), and only the second reading can never make a false "one task" claim;</li>
 *   <li>the gate: the lock instances held exclusively below {@code prev} in the same irq context at
 *       every making of the edge (the intersection, at most {@link #GATE_MAX}, initialised from
 *       the first witness);</li>
 *   <li>whether every making went through a trylock: {@code prev}, or a lock between prev and
 *       next that check_prevs_add walked past, was taken by trylock.</li>
 * </ul>
 * Tasks are global over inputs (the engine numbers each input's tasks after the previous ones).
 *
 * <p>Fork/join (STD traces) make critical sections that span threads: a lock the parent holds
 * exclusively from before a fork until after the join of the child serialises everything the
 * child does, so it counts as held below every lock of the child. It is inherited at the fork
 * and proven at the join; a lock the parent no longer holds at the join, or a child never
 * joined, removes the lock from every edge's gate (conservative: it may have been a real gate
 * elsewhere).
 */
public final class EdgeEvidence {
    /** Gate candidates kept per edge (the first witness's innermost ones). */
    public static final int GATE_MAX = 8;
    private static final byte MULTI_TASK = 1;
    private static final byte WITHOUT_TRYLOCK = 2;

    private final IntPredicate validated;
    private long[] firstTask = new long[1024];
    private byte[] flags = new byte[1024];
    private byte[] gateCount = new byte[1024];
    private long[] gate = new long[1024 * GATE_MAX];
    /** Per global task: locks inherited from the parent at fork (null: none), and whether the join proved them. */
    private long[][] inherited = new long[0][];
    private boolean[] joined = new boolean[0];
    private final LongIntMap unproven = new LongIntMap(16);
    private boolean finished;

    /** @param validated whether a class is validated: unvalidated ones (rcu_read_lock, ...) serialise nothing */
    EdgeEvidence(IntPredicate validated) {
        this.validated = validated;
    }

    /** The identity of a held lock for gate purposes: its instance, or its class when the instance is unknown. */
    static long key(long addr, int cls) {
        return addr != 0 ? addr : 0x8000_0000_0000_0000L | cls;
    }

    /** The identity of a task for these checks: global task number and comm. */
    static long task(int globalTask, int commId) {
        return ((long) globalTask << 32) | (commId & 0xffffffffL);
    }

    /** Edge {@code e} was made by {@code task} with {@code prev} at s[i] and next at s[idx]. */
    void made(int e, boolean isNew, long task, HeldStack s, int i, int idx) {
        if (e >= firstTask.length) {
            int n = Math.max(e + 1, firstTask.length * 2);
            firstTask = Arrays.copyOf(firstTask, n);
            flags = Arrays.copyOf(flags, n);
            gateCount = Arrays.copyOf(gateCount, n);
            gate = Arrays.copyOf(gate, n * GATE_MAX);
        }
        boolean viaTry = s.trylock(i);
        for (int j = i + 1; j < idx && !viaTry; j++) {
            viaTry = s.trylock(j);
        }
        if (isNew) {
            firstTask[e] = task;
            flags[e] = viaTry ? 0 : WITHOUT_TRYLOCK;
            int n = 0;
            for (int j = i - 1; j >= 0 && s.irq(j) == s.irq(i) && n < GATE_MAX; j--) {
                if (s.read(j) == 0 && validated.test(s.cls(j))) {
                    gate[e * GATE_MAX + n++] = key(s.addr(j), s.cls(j));
                }
            }
            long[] inh = inherited(task);
            for (int k = 0; inh != null && k < inh.length && n < GATE_MAX; k++) {
                gate[e * GATE_MAX + n++] = inh[k];
            }
            gateCount[e] = (byte) n;
            return;
        }
        if (!viaTry) {
            flags[e] |= WITHOUT_TRYLOCK;
        }
        seen(e, task, s, i);
    }

    /** Whether edge e still has candidate gate locks (then every hit narrows them). */
    boolean gated(int e) {
        return gateCount[e] > 0;
    }

    /** Edge {@code e} was re-used on a chain hit by {@code task}; its prev is the topmost held lock of class {@code prev} below idx. */
    void hit(int e, long task, HeldStack s, int idx, int prev) {
        int i = -1;
        if (gateCount[e] > 0) {
            for (int j = idx - 1; j >= 0 && s.irq(j) == s.irq(idx); j--) {
                if (s.cls(j) == prev) {
                    i = j;
                    break;
                }
            }
        }
        seen(e, task, s, i);
    }

    private void seen(int e, long task, HeldStack s, int i) {
        if (task != firstTask[e]) {
            flags[e] |= MULTI_TASK;
        }
        int n = gateCount[e];
        if (n == 0) {
            return;
        }
        int base = e * GATE_MAX;
        int kept = 0;
        long[] inh = inherited(task);
        for (int g = 0; g < n; g++) {
            long k = gate[base + g];
            boolean held = false;
            for (int m = 0; inh != null && m < inh.length && !held; m++) {
                held = inh[m] == k;
            }
            for (int j = i - 1; j >= 0 && s.irq(j) == s.irq(i) && !held; j--) {
                held = s.read(j) == 0 && key(s.addr(j), s.cls(j)) == k;
            }
            if (held) {
                gate[base + kept++] = k;
            }
        }
        gateCount[e] = (byte) kept;
    }

    /** {@code child} was forked by a task holding {@code parent}'s stack: it inherits the exclusive locks. */
    void fork(int child, HeldStack parent) {
        if (child >= inherited.length) {
            int n = Math.max(child + 1, inherited.length * 2);
            inherited = Arrays.copyOf(inherited, n);
            joined = Arrays.copyOf(joined, n);
        }
        long[] keys = new long[Math.min(parent.depth, GATE_MAX)];
        int n = 0;
        for (int j = parent.depth - 1; j >= 0 && n < keys.length; j--) {
            if (parent.read(j) == 0 && validated.test(parent.cls(j))) {
                keys[n++] = key(parent.addr(j), parent.cls(j));
            }
        }
        inherited[child] = n == 0 ? null : Arrays.copyOf(keys, n);
        joined[child] = false;
    }

    /** {@code child} was joined by a task holding {@code parent}'s stack: what it inherited is proven if still held. */
    void join(int child, HeldStack parent) {
        if (child >= inherited.length || inherited[child] == null) {
            return;
        }
        joined[child] = true;
        for (long k : inherited[child]) {
            boolean held = false;
            for (int j = 0; j < parent.depth && !held; j++) {
                held = parent.read(j) == 0 && key(parent.addr(j), parent.cls(j)) == k;
            }
            if (!held) {
                unproven.put(k, 1);
            }
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        for (int t = 0; t < inherited.length; t++) {
            if (inherited[t] != null && !joined[t]) {
                for (long k : inherited[t]) {
                    unproven.put(k, 1);
                }
            }
        }
    }

    private long[] inherited(long task) {
        int t = (int) (task >>> 32);
        return t < inherited.length ? inherited[t] : null;
    }

    /** The global task number of the first task that made the edge. */
    public int firstTask(int e) {
        return (int) (firstTask[e] >>> 32);
    }

    /** The first task and its comm (compare these, not task numbers, to tell tasks apart). */
    public long firstTaskIdentity(int e) {
        return firstTask[e];
    }

    /** More than one task made or re-used the edge. */
    public boolean multiTask(int e) {
        return (flags[e] & MULTI_TASK) != 0;
    }

    /** Every making of the edge went through a lock taken by trylock. */
    public boolean trylockOnly(int e) {
        return (flags[e] & WITHOUT_TRYLOCK) == 0;
    }

    /** The gate-lock keys (see {@link #key}) held below prev at every making of the edge. */
    public long[] gate(int e) {
        finish();
        long[] g = new long[gateCount[e]];
        int n = 0;
        for (int i = 0; i < g.length; i++) {
            long k = gate[e * GATE_MAX + i];
            if (unproven.get(k) < 0) {
                g[n++] = k;
            }
        }
        return Arrays.copyOf(g, n);
    }
}
