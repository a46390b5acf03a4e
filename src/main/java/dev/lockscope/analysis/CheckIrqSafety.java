package dev.lockscope.analysis;

import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.DependencyGraph;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.graph.Usage;
import dev.lockscope.model.Witness;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * lockdep's irq-safety rules (lockdep.c mark_lock_irq, check_irq_usage; lockdep-design.rst
 * "Single-lock state rules" and "Multi-lock dependency rules") over the usage bits the flags
 * column gave each class and over the final dependency graph.
 *
 * <ul>
 *   <li><b>Inconsistent lock state</b>: one class both taken in an irq context (IN-x) and taken
 *       with that irq enabled (x-ON): the irq can arrive while the lock is held and spin on it.
 *       A read taken in irq context conflicts only with a write taken with irqs on.</li>
 *   <li><b>x-safe → x-unsafe lock order</b>: a dependency path from a class taken in irq context
 *       to a class taken with that irq enabled: CPU0 holds the unsafe lock with irqs on, CPU1
 *       holds the safe lock (irqs off) and waits along the path for the unsafe one, and the irq
 *       on CPU0 waits for the safe one. The shortest such path from each safe class is reported.</li>
 * </ul>
 * Needs the irq state, which only traces with a flags column carry (irq-info on). Classes with
 * an aliased name may merge an irq-safe and an irq-unsafe lockdep class, so their findings are tagged.
 */
public final class CheckIrqSafety {
    private static final String[] STATE = {"HARDIRQ", "SOFTIRQ"};
    private final GraphBuilder engine;
    private final int max;

    public CheckIrqSafety(GraphBuilder engine, int max) {
        this.engine = engine;
        this.max = max;
    }

    /** Usage-bit name as lockdep prints it: IN-HARDIRQ-W, SOFTIRQ-ON-R, ... */
    static String bitName(int bit) {
        String state = STATE[bit >> 2];
        boolean read = (bit & 1) != 0;
        return ((bit & 2) == 0 ? "IN-" + state : state + "-ON") + (read ? "-R" : "-W");
    }

    public List<Finding.IrqInconsistent> findInconsistent() {
        List<Finding.IrqInconsistent> out = new ArrayList<>();
        for (int cls = 0; cls < engine.classCount(); cls++) {
            int u = engine.usage(cls);
            for (int s = 0; s < 2; s++) {
                int base = s * 4;
                int[][] pairs = {{base, base + 2}, {base, base + 3}, {base + 1, base + 2}};
                for (int[] pair : pairs) {
                    if ((u & (1 << pair[0])) != 0 && (u & (1 << pair[1])) != 0) {
                        Witness a = engine.usageWitness(cls, pair[0]);
                        Witness b = engine.usageWitness(cls, pair[1]);
                        boolean inFirst = a.line() <= b.line();
                        out.add(new Finding.IrqInconsistent(engine.classes().name(cls), Usage.string(u),
                                bitName(inFirst ? pair[0] : pair[1]), bitName(inFirst ? pair[1] : pair[0]),
                                inFirst ? a : b, inFirst ? b : a, aliased(cls)));
                        break;
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Finding.IrqInconsistent::cls).thenComparing(Finding.IrqInconsistent::from));
        return out.size() > max ? new ArrayList<>(out.subList(0, max)) : out;
    }

    public List<Finding.IrqOrder> findSafeToUnsafe() {
        DependencyGraph g = engine.graph();
        int n = engine.classCount();
        int[][] out = adjacency(g, n);
        List<Finding.IrqOrder> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int s = 0; s < 2; s++) {
            int in = 1 << (s * 4);
            int inRead = 1 << (s * 4 + 1);
            int on = 1 << (s * 4 + 2);
            int onRead = 1 << (s * 4 + 3);
            for (int safe = 0; safe < n; safe++) {
                int u = engine.usage(safe);
                if ((u & (in | inRead)) == 0) {
                    continue;
                }
                // a write-safe class conflicts with any irq-enabled use, a read-safe one with a write
                int conflict = (u & in) != 0 ? on | onRead : on;
                int[] parent = bfs(out, g, safe, n);
                int best = -1;
                for (int c = 0; c < n; c++) {
                    if (c != safe && parent[c] != -1 && (engine.usage(c) & conflict) != 0
                            && (best < 0 || depth(parent, g, c, safe) < depth(parent, g, best, safe)
                            || depth(parent, g, c, safe) == depth(parent, g, best, safe)
                            && engine.classes().name(c).compareTo(engine.classes().name(best)) < 0)) {
                        best = c;
                    }
                }
                if (best < 0) {
                    continue;
                }
                List<Integer> edges = new ArrayList<>();
                for (int c = best; c != safe; c = g.from(parent[c])) {
                    edges.add(0, parent[c]);
                }
                String key = s + ":" + safe + ":" + best;
                if (!seen.add(key)) {
                    continue;
                }
                int safeBit = (u & in) != 0 ? s * 4 : s * 4 + 1;
                int unsafeBit = (engine.usage(best) & on) != 0 ? s * 4 + 2 : s * 4 + 3;
                List<Finding.CycleEdge> path = new ArrayList<>();
                boolean aliased = aliased(safe) || aliased(best);
                for (int e : edges) {
                    path.add(Analyzer.edge(engine, e));
                    aliased |= aliased(g.to(e));
                }
                found.add(new Finding.IrqOrder(STATE[s], engine.classes().name(safe), Usage.string(u),
                        bitName(safeBit), engine.usageWitness(safe, safeBit), engine.classes().name(best),
                        Usage.string(engine.usage(best)), bitName(unsafeBit), engine.usageWitness(best, unsafeBit),
                        List.copyOf(path), aliased));
            }
        }
        found.sort(Comparator.comparing(Finding.IrqOrder::state).thenComparingInt(f -> f.path().size())
                .thenComparing(Finding.IrqOrder::safe).thenComparing(Finding.IrqOrder::unsafe));
        return found.size() > max ? new ArrayList<>(found.subList(0, max)) : found;
    }

    private boolean aliased(int cls) {
        return (engine.classAttributes(cls) & ClassRules.ALIASED) != 0;
    }

    private static int depth(int[] parent, DependencyGraph g, int c, int root) {
        int d = 0;
        for (int x = c; x != root; x = g.from(parent[x])) {
            d++;
        }
        return d;
    }

    /** Shortest-path parent edges from root; -1 = unreached, -2 = root. */
    private static int[] bfs(int[][] out, DependencyGraph g, int root, int n) {
        int[] parent = new int[n];
        Arrays.fill(parent, -1);
        parent[root] = -2;
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(root);
        while (!q.isEmpty()) {
            int x = q.poll();
            for (int e : out[x]) {
                int y = g.to(e);
                if (parent[y] == -1) {
                    parent[y] = e;
                    q.add(y);
                }
            }
        }
        return parent;
    }

    private int[][] adjacency(DependencyGraph g, int n) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lists.add(new ArrayList<>());
        }
        for (int e = 0; e < g.size(); e++) {
            lists.get(g.from(e)).add(e);
        }
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            List<Integer> l = lists.get(i);
            l.sort(Comparator.comparing(e -> engine.classes().name(g.to(e))));
            out[i] = l.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
