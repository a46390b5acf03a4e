package dev.lockscope.graph;

import java.util.Arrays;

/**
 * Thread order from fork/join events (STD traces): who forked and joined each task, and when.
 * Indexed by global task. Only what fork/join prove is used; the first and last event of a
 * task prove nothing about when it was alive (it may simply not have locked anything).
 */
public final class ThreadOrder {
    private int[] forkedBy = new int[0];
    private long[] forkTime = new long[0];
    private int[] joinedBy = new int[0];
    private long[] joinTime = new long[0];

    private void grow(int task) {
        if (task < forkedBy.length) {
            return;
        }
        int old = forkedBy.length;
        int n = Math.max(task + 1, old * 2);
        forkedBy = Arrays.copyOf(forkedBy, n);
        forkTime = Arrays.copyOf(forkTime, n);
        joinedBy = Arrays.copyOf(joinedBy, n);
        joinTime = Arrays.copyOf(joinTime, n);
        Arrays.fill(forkedBy, old, n, -1);
        Arrays.fill(joinedBy, old, n, -1);
    }

    void fork(int parent, int child, long time) {
        grow(Math.max(parent, child));
        forkedBy[child] = parent;
        forkTime[child] = time;
    }

    void join(int parent, int child, long time) {
        grow(Math.max(parent, child));
        joinedBy[child] = parent;
        joinTime[child] = time;
    }

    /**
     * Every event of {@code a} happens before every event of {@code b}: one task joined
     * {@code a} and later (in its own program order) forked {@code b}.
     */
    public boolean before(int a, int b) {
        if (a >= joinedBy.length || b >= forkedBy.length) {
            return false;
        }
        return joinedBy[a] >= 0 && joinedBy[a] == forkedBy[b] && joinTime[a] < forkTime[b];
    }
}
