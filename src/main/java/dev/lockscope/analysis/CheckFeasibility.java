package dev.lockscope.analysis;

import dev.lockscope.graph.EdgeEvidence;
import dev.lockscope.graph.ThreadOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule: lockdep reports every class-level cycle; a cycle can only deadlock if, for each of its
 * edges, some task holds the edge's {@code prev} and waits for its {@code next}, all at the same
 * time, and none of them serialised on a common lock. From what the witnesses of the cycle's
 * edges have in common (graph/EdgeEvidence) this check tags the cycles that cannot, in the
 * tasks and orders the trace shows:
 * <ul>
 *   <li>{@code single-task}: every edge was only ever made by one and the same task; a task
 *       cannot wait for itself across different classes;</li>
 *   <li>{@code gate-locked}: one lock instance was held exclusively (below prev, in the same irq
 *       context) at every making of every edge: all contenders serialise on it;</li>
 *   <li>{@code trylock-closed}: some edge exists only through a trylock (its prev, or a lock
 *       check_prevs_add walked past, was always taken by trylock);</li>
 *   <li>{@code ordered}: every edge was only ever made by one task, and fork/join prove that two
 *       of these tasks never ran at the same time (one was joined before the same thread forked
 *       the other). The first and last events of a task prove nothing: it may be alive without
 *       locking, so kernel traces never get this tag;</li>
 *   <li>{@code shared}: every way round passes a recursive reader after a shared holder
 *       (lockdep's strong-path rule; computed by FindCycles).</li>
 * </ul>
 * A cycle with none of these tags is {@code feasible}. The tags keep lockdep's verdict; they
 * say which cycles need a different run (other tasks, other timing) to happen at all.
 */
final class CheckFeasibility {
    static final String SINGLE_TASK = "single-task";
    static final String GATE_LOCKED = "gate-locked";
    static final String TRYLOCK_CLOSED = "trylock-closed";
    static final String ORDERED = "ordered";
    static final String SHARED = "shared";
    static final String FEASIBLE = "feasible";

    private final EdgeEvidence evidence;
    private final ThreadOrder order;

    CheckFeasibility(EdgeEvidence evidence, ThreadOrder order) {
        this.evidence = evidence;
        this.order = order;
    }

    /** The tags of the cycle made of {@code edges}; {@code strong}: FindCycles found a strong way round. */
    List<String> check(int[] edges, boolean strong) {
        List<String> tags = new ArrayList<>();
        boolean eachOneTask = true;
        boolean oneTask = true;
        boolean viaTrylock = false;
        long task0 = evidence.firstTaskIdentity(edges[0]);
        long[] gate = evidence.gate(edges[0]);
        int gates = gate.length;
        for (int e : edges) {
            eachOneTask &= !evidence.multiTask(e);
            oneTask &= evidence.firstTaskIdentity(e) == task0;
            viaTrylock |= evidence.trylockOnly(e);
            gates = intersect(gate, gates, evidence.gate(e));
        }
        if (eachOneTask && oneTask) {
            tags.add(SINGLE_TASK);
        }
        if (gates > 0) {
            tags.add(GATE_LOCKED);
        }
        if (viaTrylock) {
            tags.add(TRYLOCK_CLOSED);
        }
        if (eachOneTask && !oneTask && ordered(edges)) {
            tags.add(ORDERED);
        }
        if (!strong) {
            tags.add(SHARED);
        }
        if (tags.isEmpty()) {
            tags.add(FEASIBLE);
        }
        return tags;
    }

    /** Two of the edges' (single) tasks never overlap in time. */
    private boolean ordered(int[] edges) {
        for (int a = 0; a < edges.length; a++) {
            for (int b = a + 1; b < edges.length; b++) {
                int ta = evidence.firstTask(edges[a]);
                int tb = evidence.firstTask(edges[b]);
                if (order.before(ta, tb) || order.before(tb, ta)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Keeps in gate[0..n) the keys also in {@code other}; returns how many. */
    private static int intersect(long[] gate, int n, long[] other) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            for (long o : other) {
                if (o == gate[i]) {
                    gate[kept++] = gate[i];
                    break;
                }
            }
        }
        return kept;
    }
}
