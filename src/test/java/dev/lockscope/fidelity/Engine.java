package dev.lockscope.fidelity;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Analyzer;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.DependencyGraph;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.model.Tasks;
import dev.lockscope.trace.FtraceReader;
import dev.lockscope.trace.ReadStats;
import dev.lockscope.trace.TraceSource;
import dev.lockscope.util.ByteSymbols;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Runs the engine over one capture and exposes its graph by names. */
final class Engine {
    final GraphBuilder builder;
    final ReadStats stats = new ReadStats();
    final Analysis analysis;

    Engine(Path trace) throws Exception {
        ByteSymbols classes = new ByteSymbols();
        Tasks tasks = new Tasks();
        builder = new GraphBuilder(tasks, classes, ClassRules.defaults());
        TraceSource src = TraceSource.of(trace.toString());
        try (InputStream in = src.open(System.in)) {
            new FtraceReader(src.name(), tasks, classes, builder, stats, (s, l, r) -> {
                throw new AssertionError(s + ":" + l + ": " + r);
            }).read(in);
        }
        analysis = new Analyzer(builder, 1000).analyze(List.of(trace.getFileName().toString()), stats, null);
    }

    /** The first witness line of an edge, for diagnostics. */
    long witnessLine(String edge) {
        DependencyGraph g = builder.graph();
        for (int e = 0; e < g.size(); e++) {
            if ((builder.classes().name(g.from(e)) + " -> " + builder.classes().name(g.to(e))).equals(edge)) {
                return g.witness(e).line();
            }
        }
        return -1;
    }

    /** The classes involved in an edge's first witness: its two ends and the held stack. */
    Set<String> witnessClasses(String edge) {
        DependencyGraph g = builder.graph();
        Set<String> s = new TreeSet<>();
        for (int e = 0; e < g.size(); e++) {
            String from = builder.classes().name(g.from(e));
            String to = builder.classes().name(g.to(e));
            if ((from + " -> " + to).equals(edge)) {
                s.add(from);
                s.add(to);
                g.witness(e).held().forEach(h -> s.add(h.cls()));
            }
        }
        return s;
    }

    /** Edges first witnessed before {@code line}, with lockdep's distance: name -> distance. */
    java.util.Map<String, Integer> edgesBefore(long line) {
        DependencyGraph g = builder.graph();
        java.util.Map<String, Integer> m = new java.util.TreeMap<>();
        for (int e = 0; e < g.size(); e++) {
            if (g.witness(e).line() < line) {
                m.put(builder.classes().name(g.from(e)) + " -> " + builder.classes().name(g.to(e)), g.distance(e));
            }
        }
        return m;
    }

    Set<String> edges() {
        DependencyGraph g = builder.graph();
        Set<String> s = new TreeSet<>();
        for (int e = 0; e < g.size(); e++) {
            s.add(builder.classes().name(g.from(e)) + " -> " + builder.classes().name(g.to(e)));
        }
        return s;
    }
}
