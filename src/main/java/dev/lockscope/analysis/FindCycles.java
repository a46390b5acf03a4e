package dev.lockscope.analysis;

import dev.lockscope.graph.DependencyGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * Finds the circular dependencies of the final class graph: every strongly connected
 * component, then the shortest cycle through each of its edges, each distinct cycle once.
 *
 * <p>Rule (lockdep-design.rst, "Dependency types and strong dependency paths"): a cycle is a
 * deadlock only if it is a strong path, one with no edge ending in a recursive reader
 * ({@code -(*R)->}) followed by an edge starting at a shared holder ({@code -(S*)->}), wrapping
 * around. Each edge carries a set of types; the search picks per edge a type that keeps the
 * path strong (states: vertex x "did the previous edge end in R"). Where an edge lies on no
 * strong cycle, its shortest plain cycle is reported as {@code shared}: a cycle the readers'
 * semantics make harmless.
 *
 * <p>Cost: O(E * (V + E)) within components, with a cap on how many cycles are kept.
 */
public final class FindCycles {
    private static final int S_TYPES = (1 << DependencyGraph.SR) | (1 << DependencyGraph.SN);

    /** A cycle as class ids and edge ids: {@code edges[i]} goes from {@code classes[i]} to {@code classes[i+1 mod n]}. */
    public record Cycle(int[] classes, int[] edges, boolean strong) {
    }

    /** The cycles found, and how many more a cap left out. */
    public record Result(List<Cycle> cycles, int omitted, int components, int largestComponent) {
    }

    private final DependencyGraph graph;
    private final IntFunction<String> names;
    private final int maxCycles;

    public FindCycles(DependencyGraph graph, IntFunction<String> names, int maxCycles) {
        this.graph = graph;
        this.names = names;
        this.maxCycles = maxCycles;
    }

    public Result find() {
        Graph<Integer, Integer> g = new DefaultDirectedGraph<>(null, null, false);
        for (int e = 0; e < graph.size(); e++) {
            g.addVertex(graph.from(e));
            g.addVertex(graph.to(e));
            g.addEdge(graph.from(e), graph.to(e), e);
        }
        List<Set<Integer>> sccs = new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets();
        Comparator<Integer> byName = Comparator.comparing(names::apply);
        List<List<Integer>> components = new ArrayList<>();
        for (Set<Integer> scc : sccs) {
            if (scc.size() > 1) {
                List<Integer> vs = new ArrayList<>(scc);
                vs.sort(byName);
                components.add(vs);
            }
        }
        components.sort(Comparator.comparing(vs -> names.apply(vs.get(0))));
        List<Cycle> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int largest = 0;
        for (List<Integer> comp : components) {
            largest = Math.max(largest, comp.size());
            Set<Integer> in = new HashSet<>(comp);
            List<Integer> edges = new ArrayList<>();
            for (int v : comp) {
                for (int e : g.outgoingEdgesOf(v)) {
                    if (in.contains(graph.to(e))) {
                        edges.add(e);
                    }
                }
            }
            edges.sort(Comparator.<Integer, String>comparing(e -> names.apply(graph.from(e)))
                    .thenComparing(e -> names.apply(graph.to(e))));
            for (int e : edges) {
                Cycle c = shortestThrough(g, in, e, true);
                if (c == null) {
                    c = shortestThrough(g, in, e, false);
                }
                if (c != null && seen.add(canonical(c))) {
                    found.add(c);
                }
            }
        }
        found.sort(Comparator.<Cycle>comparingInt(c -> c.strong ? 0 : 1)
                .thenComparingInt(c -> c.classes.length)
                .thenComparing(this::canonical));
        int omitted = Math.max(0, found.size() - maxCycles);
        List<Cycle> kept = found.size() > maxCycles ? new ArrayList<>(found.subList(0, maxCycles)) : found;
        return new Result(kept, omitted, components.size(), largest);
    }

    /** Rotation-independent key: the class names starting from the smallest. */
    private String canonical(Cycle c) {
        int n = c.classes.length;
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (names.apply(c.classes[i]).compareTo(names.apply(c.classes[best])) < 0) {
                best = i;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(names.apply(c.classes[(best + i) % n])).append('\u0000');
        }
        return sb.toString();
    }

    /**
     * Shortest cycle through edge {@code first} (u -> v): a BFS from v back to u. With
     * {@code strong}, states carry whether the last edge ended in a recursive reader.
     */
    private Cycle shortestThrough(Graph<Integer, Integer> g, Set<Integer> comp, int first, boolean strong) {
        int u = graph.from(first);
        int v = graph.to(first);
        Cycle best = null;
        int[] startTypes = strong ? typesOf(graph.mask(first)) : new int[] {DependencyGraph.EN};
        for (int t : startTypes) {
            boolean startsS = strong && ((1 << t) & S_TYPES) != 0;
            boolean endsR = strong && (t & 2) == 0;
            Cycle c = bfs(g, comp, first, u, v, startsS, endsR, strong);
            if (c != null && (best == null || c.classes.length < best.classes.length)) {
                best = c;
            }
        }
        return best;
    }

    private record State(int vertex, boolean endsR, State parent, int edge) {
    }

    private Cycle bfs(Graph<Integer, Integer> g, Set<Integer> comp, int first, int u, int v, boolean startsS,
                      boolean startEndsR, boolean strong) {
        ArrayDeque<State> queue = new ArrayDeque<>();
        Set<Long> visited = new HashSet<>();
        State root = new State(v, startEndsR, null, first);
        queue.add(root);
        visited.add(key(v, startEndsR));
        while (!queue.isEmpty()) {
            State s = queue.poll();
            List<Integer> out = new ArrayList<>(g.outgoingEdgesOf(s.vertex));
            out.sort(Comparator.comparing(e -> names.apply(graph.to(e))));
            for (int e : out) {
                int y = graph.to(e);
                if (!comp.contains(y)) {
                    continue;
                }
                int allowed = strong ? graph.mask(e) & (s.endsR ? ~S_TYPES : 0xf) : 1 << DependencyGraph.EN;
                if (allowed == 0) {
                    continue;
                }
                boolean canEndN = (allowed & 0b1100) != 0;
                boolean canEndR = (allowed & 0b0011) != 0;
                if (y == u) {
                    // closing: the edge after this one is `first`, which starts shared when startsS
                    if (!startsS || canEndN) {
                        return build(new State(y, false, s, e), strong);
                    }
                    continue;
                }
                if (canEndN && visited.add(key(y, false))) {
                    queue.add(new State(y, false, s, e));
                }
                if (strong && canEndR && visited.add(key(y, true))) {
                    queue.add(new State(y, true, s, e));
                }
            }
        }
        return null;
    }

    private static long key(int vertex, boolean endsR) {
        return ((long) vertex << 1) | (endsR ? 1 : 0);
    }

    /** Unwinds the BFS parents into a cycle starting at u: u -> v -> ... -> u. */
    private Cycle build(State end, boolean strong) {
        List<Integer> edges = new ArrayList<>();
        for (State s = end; s != null; s = s.parent) {
            edges.add(s.edge);
        }
        // edges now: closing edge (x -> u), ..., first edge (u -> v)  -- reverse to u -> v ... -> u
        int n = edges.size();
        int[] es = new int[n];
        int[] cs = new int[n];
        for (int i = 0; i < n; i++) {
            es[i] = edges.get(n - 1 - i);
            cs[i] = graph.from(es[i]);
        }
        return new Cycle(cs, es, strong);
    }

    private static int[] typesOf(int mask) {
        int[] order = {DependencyGraph.EN, DependencyGraph.ER, DependencyGraph.SN, DependencyGraph.SR};
        return Arrays.stream(order).filter(t -> (mask & (1 << t)) != 0).toArray();
    }
}
