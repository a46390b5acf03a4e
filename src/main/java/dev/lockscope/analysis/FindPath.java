package dev.lockscope.analysis;

import dev.lockscope.graph.DependencyGraph;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The shortest dependency chain {@code from -> ... -> to}: lockdep's {@code __bfs} question
 * "does {@code from} already reach {@code to}?", answered with the path. Breadth first over
 * the edges in name order, so among equally short chains the one first in name order wins.
 * Cost O(V + E).
 */
public final class FindPath {
    private final GraphIndex index;

    public FindPath(GraphIndex index) {
        this.index = index;
    }

    /** The edges of the path, in order; null when {@code to} is not reachable (or from == to). */
    public int[] find(int from, int to) {
        DependencyGraph g = index.graph();
        int n = index.engine().classCount();
        int[] via = new int[n];
        Arrays.fill(via, -1);
        boolean[] seen = new boolean[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(from);
        seen[from] = true;
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int e : index.out(v)) {
                int w = g.to(e);
                if (seen[w]) {
                    continue;
                }
                seen[w] = true;
                via[w] = e;
                if (w == to) {
                    return unwind(g, via, from, to);
                }
                queue.add(w);
            }
        }
        return null;
    }

    private static int[] unwind(DependencyGraph g, int[] via, int from, int to) {
        int len = 0;
        for (int v = to; v != from; v = g.from(via[v])) {
            len++;
        }
        int[] path = new int[len];
        for (int v = to, i = len - 1; v != from; v = g.from(via[v]), i--) {
            path[i] = via[v];
        }
        return path;
    }
}
