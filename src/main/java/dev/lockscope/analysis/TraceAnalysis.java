package dev.lockscope.analysis;

import dev.lockscope.graph.ClassGraph;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.graph.MergeClassGraphs;
import dev.lockscope.model.StackSource;
import dev.lockscope.model.Tasks;
import dev.lockscope.snapshot.GraphSnapshot;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.Problems;
import dev.lockscope.trace.ReadStats;
import dev.lockscope.trace.TraceFormat;
import dev.lockscope.trace.TraceReader;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * One analysis run: every input streamed through its reader into one engine, then the
 * findings. Inputs share classes and the dependency graph; each is its own task namespace.
 * An input that starts with the graph-snapshot magic is merged into the engine instead.
 */
public final class TraceAnalysis {
    private final ClassRules rules;
    private final int maxCycles;
    private final Problems problems;
    private final InputStream stdin;
    private boolean wholeTrace;
    private java.util.function.LongFunction<String> symbols = a -> null;
    private EventWindow window = EventWindow.ALL;
    private volatile ReadStats reading;
    private TraceFormat inputFormat;

    public TraceAnalysis(ClassRules rules, int maxCycles, Problems problems, InputStream stdin) {
        this.rules = rules;
        this.maxCycles = maxCycles;
        this.problems = problems;
        this.stdin = stdin;
    }

    /** Analyse overwritten ring-buffer traces from their first line (see FtraceReader). */
    public TraceAnalysis wholeTrace(boolean whole) {
        this.wholeTrace = whole;
        return this;
    }

    /** Names for contention addresses (see Contention). */
    public TraceAnalysis symbols(java.util.function.LongFunction<String> lookup) {
        this.symbols = lookup;
        return this;
    }

    private GraphBuilder engine;
    private List<ClassGraph.Input> inputs = List.of();
    private ClassGraph graph = ClassGraph.empty();

    /**
     * The class graph of the last {@link #run}, for a snapshot: the traces' graph merged with
     * every snapshot read (MergeClassGraphs), with the provenance of all their inputs.
     */
    public ClassGraph classGraph() {
        if (graph == null) {
            graph = ClassGraph.of(engine, inputs);
        }
        return graph;
    }

    /** The engine of the last {@link #run}: its graph, chains and lock statistics. */
    public GraphBuilder engine() {
        return engine;
    }

    /** Feed the engine only the events inside {@code w}. */
    public TraceAnalysis window(EventWindow w) {
        this.window = w;
        return this;
    }

    /** The engine's final state and the analysis of it, for queries beyond the report (the REPL). */
    public record Loaded(GraphBuilder engine, Analysis analysis) {
    }

    /**
     * The running counts of the input being read (bytes and lines so far), for a progress display
     * on another thread; null before the first input. The counts are read without locking.
     */
    public ReadStats reading() {
        return reading;
    }

    /** Read every input as this format instead of choosing by extension and content (null: choose). */
    public TraceAnalysis inputFormat(TraceFormat format) {
        this.inputFormat = format;
        return this;
    }

    public Analysis run(List<TraceSource> sources) throws InputProblem, TraceFormatException {
        return load(sources).analysis();
    }

    public Loaded load(List<TraceSource> sources) throws InputProblem, TraceFormatException {
        ByteSymbols classes = new ByteSymbols();
        engine = new GraphBuilder(new Tasks(), classes, rules);
        engine.symbols(symbols);
        ReadStats total = new ReadStats();
        List<String> names = new ArrayList<>();
        inputs = new ArrayList<>();
        EventWindow.Sink sink = window.isAll() ? null : window.apply(engine);
        long t0 = System.nanoTime();
        List<ClassGraph> snapshots = new ArrayList<>();
        List<String> snapshotNames = new ArrayList<>();
        for (TraceSource src : sources) {
            names.add(src.name());
            Tasks tasks = new Tasks();
            ReadStats stats = new ReadStats();
            reading = stats;
            try (InputStream in = src.open(stdin)) {
                if (GraphSnapshot.isSnapshot(in)) {
                    snapshots.add(GraphSnapshot.read(in, src.name()));
                    snapshotNames.add(src.name());
                    continue;
                }
                TraceReader reader = TraceFormat.choose(inputFormat, src, in)
                        .reader(src.name(), tasks, classes, sink == null ? engine : sink, stats, problems, wholeTrace);
                engine.startInput(tasks, reader instanceof StackSource stackSource ? stackSource : StackSource.NONE);
                if (sink != null) {
                    sink.startInput(tasks);
                }
                reader.read(in);
            } catch (IOException e) {
                throw new InputProblem(src.name() + ": read error: " + e.getMessage(), e);
            }
            inputs.add(new ClassGraph.Input(src.name(), stats.lines, stats.lockEvents));
            total.add(stats);
        }
        // the traces' graph first (engine input ordinals = trace order), then the snapshots on top
        graph = snapshots.isEmpty() ? null : ClassGraph.of(engine, inputs);
        for (int i = 0; i < snapshots.size(); i++) {
            graph = MergeClassGraphs.merge(graph, snapshots.get(i));
            engine.absorb(snapshots.get(i), snapshotNames.get(i));
        }
        long t1 = System.nanoTime();
        Analyzer analyzer = new Analyzer(engine, maxCycles);
        Analysis a = analyzer.analyze(names, total, null);
        long t2 = System.nanoTime();
        return new Loaded(engine, a.withTiming(new Analysis.Timing(t1 - t0, t2 - t1, peakHeap(), total.engineNanos)));
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
