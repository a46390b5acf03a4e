package dev.lockscope.report;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.analysis.GraphIndex;
import dev.lockscope.graph.DependencyGraph;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

/**
 * The dependency graph in Graphviz DOT, through JGraphT's DOTExporter: one node per class that
 * has an edge (or, for {@code cyclesOnly}, per class on a listed cycle), labelled with its name
 * and acquisitions; one edge per dependency labelled with its types and count. Edges on a listed
 * deadlock cycle are red and bold, on any other listed cycle orange. A node's id is its quoted
 * class name and nodes and edges come in name order, so the output is stable and diffable.
 */
public final class DotReport {
    private final PrintWriter out;
    private final boolean cyclesOnly;

    public DotReport(PrintWriter out) {
        this(out, false);
    }

    public DotReport(PrintWriter out, boolean cyclesOnly) {
        this.out = out;
        this.cyclesOnly = cyclesOnly;
    }

    /** A dependency as the exporter sees it (from and to make it unique), attributes computed up front. */
    private record DotEdge(String from, String to, Map<String, Attribute> attributes) {
    }

    public void write(GraphIndex index, Analysis a) {
        Map<String, String> colour = new HashMap<>();
        Set<String> onCycle = new TreeSet<>();
        for (Finding.CircularDependency c : a.cycles()) {
            for (Finding.CycleEdge e : c.edges()) {
                colour.merge(e.from() + "\u0000" + e.to(), c.isDeadlock() ? "red" : "orange",
                        (x, y) -> x.equals("red") ? x : y);
                onCycle.add(e.from());
                onCycle.add(e.to());
            }
        }
        DependencyGraph g = index.graph();
        DefaultDirectedGraph<String, DotEdge> dot = new DefaultDirectedGraph<>(null, null, false);
        Map<String, Long> acquisitions = new HashMap<>();
        for (int c : index.classes(null)) {
            String name = index.name(c);
            boolean drawn = cyclesOnly ? onCycle.contains(name) : index.out(c).length + index.in(c).length > 0;
            if (drawn) {
                dot.addVertex(name);
                acquisitions.put(name, index.engine().acquisitions(c));
            }
        }
        for (int c : index.classes(null)) {
            for (int e : index.out(c)) {
                String from = index.name(c);
                String to = index.name(g.to(e));
                String col = colour.get(from + "\u0000" + to);
                if (!dot.containsVertex(from) || !dot.containsVertex(to) || (cyclesOnly && col == null)) {
                    continue;
                }
                Map<String, Attribute> attrs = new LinkedHashMap<>();
                attrs.put("label", DefaultAttribute.createAttribute(DependencyGraph.typeNames(g.mask(e)) + " " + g.count(e)));
                if (col != null) {
                    attrs.put("color", DefaultAttribute.createAttribute(col));
                    attrs.put("penwidth", DefaultAttribute.createAttribute(2));
                }
                dot.addEdge(from, to, new DotEdge(from, to, attrs));
            }
        }
        DOTExporter<String, DotEdge> exporter = new DOTExporter<>(DotReport::quote);
        exporter.setGraphIdProvider(() -> "lockscope");
        exporter.setGraphAttributeProvider(() -> {
            Map<String, Attribute> m = new LinkedHashMap<>();
            m.put("rankdir", DefaultAttribute.createAttribute("LR"));
            return m;
        });
        exporter.setVertexAttributeProvider(v -> {
            Map<String, Attribute> m = new LinkedHashMap<>();
            m.put("label", DefaultAttribute.createAttribute(v + "\\n" + acquisitions.get(v)
                    + (acquisitions.get(v) == 1 ? " acquisition" : " acquisitions")));
            m.put("shape", DefaultAttribute.createAttribute("box"));
            m.put("fontname", DefaultAttribute.createAttribute("monospace"));
            if (onCycle.contains(v)) {
                m.put("style", DefaultAttribute.createAttribute("bold"));
            }
            return m;
        });
        exporter.setEdgeAttributeProvider(DotEdge::attributes);
        exporter.exportGraph(dot, out);
        out.flush();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
