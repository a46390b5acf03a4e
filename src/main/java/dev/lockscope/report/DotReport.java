package dev.lockscope.report;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.analysis.GraphIndex;
import dev.lockscope.graph.DependencyGraph;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

/**
 * The dependency graph in Graphviz DOT: one node per class that has an edge, one edge per
 * dependency labelled with its types and count; edges on a listed deadlock cycle are red,
 * on any other listed cycle orange. Nodes and edges in name order, so the bytes are stable.
 */
public final class DotReport {
    private final PrintWriter out;

    public DotReport(PrintWriter out) {
        this.out = out;
    }

    public void write(GraphIndex index, Analysis a) {
        Set<String> deadlock = new HashSet<>();
        Set<String> other = new HashSet<>();
        for (Finding.CircularDependency c : a.cycles()) {
            for (Finding.CycleEdge e : c.edges()) {
                (c.isDeadlock() ? deadlock : other).add(e.from() + "\u0000" + e.to());
            }
        }
        DependencyGraph g = index.graph();
        out.println("digraph lockscope {");
        out.println("  node [shape=box, fontname=\"monospace\"];");
        for (int c : index.classes(null)) {
            if (index.out(c).length + index.in(c).length > 0) {
                out.println("  " + quote(index.name(c)) + ";");
            }
        }
        for (int c : index.classes(null)) {
            for (int e : index.out(c)) {
                String key = index.name(c) + "\u0000" + index.name(g.to(e));
                String color = deadlock.contains(key) ? ", color=red" : other.contains(key) ? ", color=orange" : "";
                out.println("  " + quote(index.name(c)) + " -> " + quote(index.name(g.to(e))) + " [label=\""
                        + DependencyGraph.typeNames(g.mask(e)) + " " + g.count(e) + "\"" + color + "];");
            }
        }
        out.println("}");
        out.flush();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
