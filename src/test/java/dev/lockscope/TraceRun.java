package dev.lockscope;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Analyzer;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.DependencyGraph;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.model.Tasks;
import dev.lockscope.trace.FtraceReader;
import dev.lockscope.trace.ReadStats;
import dev.lockscope.util.ByteSymbols;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs a trace (text or test resource) through the real reader and engine. */
public final class TraceRun {
    public final GraphBuilder engine;
    public final ReadStats stats = new ReadStats();
    public final List<String> problems = new ArrayList<>();
    public final Analysis analysis;

    private TraceRun(InputStream in, ClassRules rules, java.util.function.LongFunction<String> symbols)
            throws Exception {
        ByteSymbols classes = new ByteSymbols();
        Tasks tasks = new Tasks();
        engine = new GraphBuilder(tasks, classes, rules);
        engine.symbols(symbols);
        FtraceReader reader = new FtraceReader("test", tasks, classes, engine, stats,
                (s, l, r) -> problems.add(l + ": " + r));
        engine.startInput(tasks, reader);
        reader.read(in);
        analysis = new Analyzer(engine, 100).analyze(List.of("test"), stats, null);
    }

    public static TraceRun resource(String name) throws Exception {
        return resource(name, ClassRules.defaults());
    }

    public static TraceRun resource(String name, ClassRules rules) throws Exception {
        return resource(name, rules, a -> null);
    }

    public static TraceRun resource(String name, ClassRules rules, java.util.function.LongFunction<String> symbols)
            throws Exception {
        try (InputStream in = TraceRun.class.getResourceAsStream("/traces/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test trace " + name);
            }
            return new TraceRun(in, rules, symbols);
        }
    }

    public static TraceRun text(String trace) throws Exception {
        return new TraceRun(new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)), ClassRules.defaults(),
                a -> null);
    }

    /** Edges as "from -> to" mapped to their dependency types ("EN", "SN,ER", ...). */
    public Map<String, String> edges() {
        DependencyGraph g = engine.graph();
        Map<String, String> m = new TreeMap<>();
        for (int e = 0; e < g.size(); e++) {
            m.put(engine.classes().name(g.from(e)) + " -> " + engine.classes().name(g.to(e)),
                    DependencyGraph.typeNames(g.mask(e)));
        }
        return m;
    }

    public long count(String edge) {
        DependencyGraph g = engine.graph();
        for (int e = 0; e < g.size(); e++) {
            if ((engine.classes().name(g.from(e)) + " -> " + engine.classes().name(g.to(e))).equals(edge)) {
                return g.count(e);
            }
        }
        return -1;
    }
}
