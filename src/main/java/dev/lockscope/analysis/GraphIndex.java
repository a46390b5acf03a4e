package dev.lockscope.analysis;

import dev.lockscope.graph.DependencyGraph;
import dev.lockscope.graph.Glob;
import dev.lockscope.graph.GraphBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The loaded graph arranged for questions: class names both ways, and each class's outgoing
 * and incoming edges sorted by the other end's name. Built once per load in O(E log E), with the rankings hot and stats use, so a
 * query costs what its answer costs. Answers are in name order, hence deterministic.
 */
public final class GraphIndex {
    private final GraphBuilder engine;
    private final DependencyGraph graph;
    private final String[] names;
    private final int[][] out;
    private final int[][] in;
    private final int[] byName;
    private final int[] byCount;
    private final int[] byAcquisitions;

    public GraphIndex(GraphBuilder engine) {
        this.engine = engine;
        this.graph = engine.graph();
        int n = engine.classCount();
        names = new String[n];
        for (int c = 0; c < n; c++) {
            names[c] = engine.classes().name(c);
        }
        byName = sortedBy(n, Comparator.comparing(c -> names[c]), null);
        int[] outCount = new int[n];
        int[] inCount = new int[n];
        for (int e = 0; e < graph.size(); e++) {
            outCount[graph.from(e)]++;
            inCount[graph.to(e)]++;
        }
        out = new int[n][];
        in = new int[n][];
        for (int c = 0; c < n; c++) {
            out[c] = new int[outCount[c]];
            in[c] = new int[inCount[c]];
        }
        for (int e = 0; e < graph.size(); e++) {
            out[graph.from(e)][--outCount[graph.from(e)]] = e;
            in[graph.to(e)][--inCount[graph.to(e)]] = e;
        }
        byCount = sortedBy(graph.size(), Comparator.<Integer>comparingLong(e -> -graph.count(e))
                .thenComparing(e -> names[graph.from(e)]).thenComparing(e -> names[graph.to(e)]), null);
        byAcquisitions = sortedBy(n, Comparator.<Integer>comparingLong(c -> -engine.acquisitions(c))
                .thenComparing(c -> names[c]), null);
        for (int c = 0; c < n; c++) {
            out[c] = sortedBy(out[c].length, Comparator.comparing(i -> names[graph.to(i)]), out[c]);
            in[c] = sortedBy(in[c].length, Comparator.comparing(i -> names[graph.from(i)]), in[c]);
        }
    }

    private static int[] sortedBy(int n, Comparator<Integer> order, int[] values) {
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = values == null ? i : values[i];
        }
        Arrays.sort(boxed, order);
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    public GraphBuilder engine() {
        return engine;
    }

    public DependencyGraph graph() {
        return graph;
    }

    public String name(int cls) {
        return names[cls];
    }

    /** The class id of {@code name}, or -1. */
    public int find(String name) {
        return engine.classes().find(name);
    }

    /** Classes whose name matches {@code glob}, in name order. */
    public List<Integer> classes(String glob) {
        List<Integer> r = new ArrayList<>();
        for (int c : byName) {
            if (glob == null || Glob.matches(glob, names[c])) {
                r.add(c);
            }
        }
        return r;
    }

    /** Edges {@code cls -> x}, by x's name. */
    public int[] out(int cls) {
        return out[cls];
    }

    /** Edges {@code x -> cls}, by x's name. */
    public int[] in(int cls) {
        return in[cls];
    }

    /** The {@code n} most exercised edges, ties by names. */
    public List<Integer> hottest(int n) {
        return Arrays.stream(byCount, 0, Math.min(n, byCount.length)).boxed().toList();
    }

    /** The {@code n} most acquired classes, ties by name. */
    public List<Integer> busiestClasses(int n) {
        return Arrays.stream(byAcquisitions, 0, Math.min(n, byAcquisitions.length)).boxed().toList();
    }
}
