package dev.lockscope.report;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.FindChains;
import dev.lockscope.analysis.Finding;
import dev.lockscope.analysis.GraphIndex;
import dev.lockscope.graph.ChainCache;
import dev.lockscope.graph.DependencyGraph;
import dev.lockscope.graph.EngineStats;
import dev.lockscope.model.Ctx;
import dev.lockscope.model.Witness;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Answers to questions about a loaded graph (the REPL's commands), in the text report's
 * vocabulary: edges as {@code from -> to: EN,SR, exercised N times}, witnesses as
 * {@code task [cpu] time: line N} with the held-lock stack below them.
 */
public final class QueryText {
    private final PrintWriter out;
    private final GraphIndex index;
    private final TextReport text;

    public QueryText(PrintWriter out, GraphIndex index) {
        this.out = out;
        this.index = index;
        this.text = new TextReport(out, false);
    }

    /** {@code classes}: one line per class, with how often it was acquired and its edge counts. */
    public void classes(List<Integer> classes) {
        for (int c : classes) {
            out.println(Format.right(index.engine().acquisitions(c), 12) + " acquired " + Format.right(index.out(c).length, 4)
                    + " out " + Format.right(index.in(c).length, 4) + " in  " + index.name(c));
        }
        out.printf(Locale.ROOT, "%d class%s%n", classes.size(), classes.size() == 1 ? "" : "es");
    }

    /** {@code deps} ({@code outgoing}) and {@code rdeps}: the edges of one class with a witness summary each. */
    public void edges(int cls, boolean outgoing) {
        int[] edges = outgoing ? index.out(cls) : index.in(cls);
        out.printf(Locale.ROOT, "%s: %d %s%n", index.name(cls), edges.length,
                outgoing ? (edges.length == 1 ? "dependency (locks taken while holding it)" : "dependencies (locks taken while holding it)")
                        : (edges.length == 1 ? "reverse dependency (locks held while taking it)"
                                : "reverse dependencies (locks held while taking it)"));
        DependencyGraph g = index.graph();
        for (int e : edges) {
            Witness w = g.witness(e);
            int tasks = g.witnesses(e).size();
            out.println("  " + (outgoing ? "->" : "<-") + " " + index.name(outgoing ? g.to(e) : g.from(e)) + "  "
                    + DependencyGraph.typeNames(g.mask(e)) + ", exercised " + g.count(e) + ", distance " + g.distance(e)
                    + "; first " + w.task() + " [" + Format.zeros(w.cpu(), 3) + "] " + Format.time(w.timeNs()) + ": line "
                    + w.line() + (tasks > 1 ? " (+" + (tasks - 1) + (tasks == DependencyGraph.MAX_WITNESSES ? " or" : "")
                    + " more task" + (tasks == 2 ? "" : "s") + ")" : ""));
        }
    }

    /** {@code path}: each edge of a chain with its first witness. */
    public void path(int[] edges) {
        DependencyGraph g = index.graph();
        StringBuilder sb = new StringBuilder(index.name(g.from(edges[0])));
        for (int e : edges) {
            sb.append(" -> ").append(index.name(g.to(e)));
        }
        out.printf(Locale.ROOT, "%s (%d edge%s)%n", sb, edges.length, edges.length == 1 ? "" : "s");
        for (int e : edges) {
            text.edgeWitness(index.name(g.from(e)), index.name(g.to(e)), DependencyGraph.typeNames(g.mask(e)), g.count(e),
                    "first", g.witness(e), g.might(e));
        }
    }

    /** {@code why}: every recorded witness of one edge. */
    public void why(int e) {
        DependencyGraph g = index.graph();
        List<Witness> ws = g.witnesses(e);
        out.printf(Locale.ROOT, "%s -> %s: %s, exercised %d time%s, distance %d%n", index.name(g.from(e)),
                index.name(g.to(e)), DependencyGraph.typeNames(g.mask(e)), g.count(e), g.count(e) == 1 ? "" : "s",
                g.distance(e));
        out.printf(Locale.ROOT, "witnesses: the first of each task, %d task%s%s%n", ws.size(), ws.size() == 1 ? "" : "s",
                ws.size() == DependencyGraph.MAX_WITNESSES ? " (the most kept; later tasks are not recorded)" : "");
        for (int i = 0; i < ws.size(); i++) {
            text.witness("#" + (i + 1), ws.get(i), null);
        }
    }

    /** {@code chains}: held-lock chains in the layout of /proc/lockdep_chains. */
    public void chains(List<FindChains.Chain> chains) {
        for (FindChains.Chain c : chains) {
            out.println("chain #" + c.id() + " irq_context: " + Ctx.irqName(c.irq()) + ", " + c.classes().size() + " lock"
                    + (c.classes().size() == 1 ? "" : "s") + ", " + c.hits() + " hit" + (c.hits() == 1 ? "" : "s"));
            for (int i = 0; i < c.classes().size(); i++) {
                out.println("  " + c.classes().get(i) + (c.reads()[i] == 0 ? "" : " (" + Format.mode(c.reads()[i]) + ")"));
            }
        }
        out.printf(Locale.ROOT, "%d chain%s%n", chains.size(), chains.size() == 1 ? "" : "s");
    }

    /** {@code cycles}: one line per cycle, numbered as {@code explain} takes them. */
    public void cycles(Analysis a, boolean feasibleOnly) {
        int shown = 0;
        for (Finding.CircularDependency c : a.cycles()) {
            if (feasibleOnly && !c.isDeadlock()) {
                continue;
            }
            shown++;
            out.printf(Locale.ROOT, "#%-3d %-12s %d classes: %s -> %s%n", c.id(), c.verdict(), c.classes().size(),
                    String.join(" -> ", c.classes()), c.classes().get(0));
        }
        int total = a.cycles().size() + a.cyclesOmitted();
        out.printf(Locale.ROOT, "%d of %d cycle%s%s%n", shown, total, total == 1 ? "" : "s",
                a.cyclesOmitted() > 0 ? " (" + a.cyclesOmitted() + " beyond --max-cycles not listed)" : "");
    }

    /** {@code explain}: the full lockdep-style report of one cycle. */
    public void explain(Analysis a, Finding.CircularDependency c) {
        text.cycle(c, a.cycles().size() + a.cyclesOmitted());
    }

    /** {@code stats}: the report's statistics block, the chain cache, and the busiest classes. */
    public void stats(Analysis a, int busiest) {
        text.stats(a);
        EngineStats s = a.engine();
        ChainCache cc = index.engine().chains();
        long maxHits = 0;
        for (int c = 0; c < cc.size(); c++) {
            maxHits = Math.max(maxHits, cc.hits(c));
        }
        out.println();
        out.println("chain cache (lockdep's lookup_chain_cache):");
        out.printf(Locale.ROOT, " %-40s %11d%n", "chains validated (misses):", s.chainMisses);
        out.printf(Locale.ROOT, " %-40s %11d%n", "acquisitions answered by the cache:", s.chainHits);
        out.printf(Locale.ROOT, " %-40s %11d%n", "hits of the most used chain:", maxHits);
        out.println();
        out.println("most acquired classes (acquisitions, cf. lock_stat):");
        for (int c : index.busiestClasses(busiest)) {
            out.printf(Locale.ROOT, " %12d  %s%n", index.engine().acquisitions(c), index.name(c));
        }
    }

    /** {@code hot}: the most exercised edges. */
    public void hot(int n) {
        DependencyGraph g = index.graph();
        for (int e : index.hottest(n)) {
            out.println(" " + Format.right(g.count(e), 12) + "  " + index.name(g.from(e)) + " -> " + index.name(g.to(e)) + "  "
                    + DependencyGraph.typeNames(g.mask(e)));
        }
    }
}
