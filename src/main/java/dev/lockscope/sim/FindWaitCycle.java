package dev.lockscope.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Rule: a deadlock is a cycle in the wait-for graph (task waits for the task that holds, blocks
 * or alone would signal what it needs). Returns the cycle reached first from the lowest-numbered
 * blocked task, following each task's first edge, so the answer is deterministic; a task that
 * waits for itself is a cycle of one.
 */
public final class FindWaitCycle {
    private FindWaitCycle() {
    }

    public static List<Machine.WaitEdge> find(List<Machine.WaitEdge> edges) {
        int n = 0;
        for (Machine.WaitEdge e : edges) {
            n = Math.max(n, Math.max(e.waiter(), e.holder()) + 1);
        }
        for (Machine.WaitEdge start : edges) {
            List<Machine.WaitEdge> path = new ArrayList<>();
            int[] pos = new int[n];
            java.util.Arrays.fill(pos, -1);
            int t = start.waiter();
            while (t >= 0 && pos[t] < 0) {
                pos[t] = path.size();
                Machine.WaitEdge next = first(edges, t);
                if (next == null) {
                    break;
                }
                path.add(next);
                t = next.holder();
            }
            if (t >= 0 && pos[t] >= 0 && pos[t] < path.size()) {
                return path.subList(pos[t], path.size());
            }
        }
        return List.of();
    }

    private static Machine.WaitEdge first(List<Machine.WaitEdge> edges, int t) {
        for (Machine.WaitEdge e : edges) {
            if (e.waiter() == t) {
                return e;
            }
        }
        return null;
    }

    /** The lines lockscope prints for a deadlock: the cycle, or every wait if there is none. */
    public static List<String> describe(List<Machine.WaitEdge> edges, List<String> names) {
        List<Machine.WaitEdge> cycle = find(edges);
        List<String> out = new ArrayList<>();
        out.add(cycle.isEmpty() ? "no wait-for cycle; blocked tasks:" : "wait-for cycle:");
        for (Machine.WaitEdge e : cycle.isEmpty() ? edges : cycle) {
            out.add("  " + names.get(e.waiter()) + " " + e.why());
        }
        return out;
    }
}
