package dev.lockscope.analysis;

import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.DependencyGraph;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.graph.LockStats;
import dev.lockscope.graph.Observation;
import dev.lockscope.graph.Usage;
import dev.lockscope.trace.ReadStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns the engine's final state into sorted findings. */
public final class Analyzer {
    private final GraphBuilder engine;
    private final int maxCycles;

    public Analyzer(GraphBuilder engine, int maxCycles) {
        this.engine = engine;
        this.maxCycles = maxCycles;
    }

    public Analysis analyze(List<String> inputs, ReadStats read, Analysis.Timing timing) {
        DependencyGraph g = engine.graph();
        FindCycles.Result result = new FindCycles(g, engine.classes()::name, maxCycles).find();
        List<Finding.CircularDependency> cycles = new ArrayList<>();
        for (FindCycles.Cycle c : result.cycles()) {
            cycles.add(describe(c, cycles.size() + 1));
        }
        List<Finding.Recursion> recursions = new ArrayList<>();
        List<Finding.BadUnlock> unbalanced = new ArrayList<>();
        List<Finding.DepthOverflow> overflows = new ArrayList<>();
        List<Finding.RemoteDemote> demotes = new ArrayList<>();
        for (Observation o : engine.observations()) {
            switch (o.kind) {
                case RECURSIVE, NESTED_CLASS -> {
                    int cls = engine.classes().find(o.cls);
                    recursions.add(new Finding.Recursion(o.kind == Observation.Kind.RECURSIVE, o.cls,
                            usage(cls), o.prior, o.read, o.witness.addr(), o.count(),
                            (engine.classAttributes(cls) & ClassRules.ALIASED) != 0, o.witness));
                }
                case UNBALANCED -> unbalanced.add(new Finding.BadUnlock(o.cls, o.witness.addr(), o.prior.line(),
                        o.earlierRelease, o.count(), o.witness));
                case DEPTH_OVERFLOW -> overflows.add(new Finding.DepthOverflow(o.cls, o.count(), o.witness));
                case REMOTE_DEMOTE -> demotes.add(new Finding.RemoteDemote(o.cls, o.witness.addr(), o.prior, o.count(),
                        o.witness));
                default -> throw new IllegalStateException(o.kind.toString());
            }
        }
        recursions.sort(Comparator.comparing((Finding.Recursion r) -> !r.sameInstance())
                .thenComparing(Finding.Recursion::cls)
                .thenComparingInt(r -> r.held().read())
                .thenComparingInt(Finding.Recursion::read)
                .thenComparingInt(r -> r.held().irq()));
        unbalanced.sort(Comparator.comparing(Finding.BadUnlock::cls));
        overflows.sort(Comparator.comparing(Finding.DepthOverflow::cls));
        demotes.sort(Comparator.comparing(Finding.RemoteDemote::cls));
        boolean irqKnown = irqStateKnown();
        CheckIrqSafety irq = new CheckIrqSafety(engine, maxCycles);
        return new Analysis(inputs, cycles, result.omitted(), result.components(), result.largestComponent(),
                recursions, unbalanced, overflows, irqKnown, irqKnown ? irq.findInconsistent() : List.of(),
                irqKnown ? irq.findSafeToUnsafe() : List.of(), demotes, contention(), engine.contention(), summary(),
                engine.stats(), read, timing);
    }

    private boolean irqStateKnown() {
        for (int c = 0; c < engine.classCount(); c++) {
            if ((engine.usage(c) & Usage.KNOWN) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Classes with contention_begin/end waits, longest total wait first. */
    private List<Analysis.ContentionRow> contention() {
        List<Analysis.ContentionRow> rows = new ArrayList<>();
        for (int c = 0; c < engine.classCount(); c++) {
            long n = engine.contention().waits(c);
            if (n > 0) {
                rows.add(new Analysis.ContentionRow(engine.classes().name(c), engine.isUnnamed(c), n,
                        engine.contention().waitNs(c), engine.contention().maxWaitNs(c)));
            }
        }
        rows.sort(Comparator.comparingLong(Analysis.ContentionRow::totalNs).reversed()
                .thenComparing(Analysis.ContentionRow::cls));
        return rows;
    }

    private Analysis.GraphSummary summary() {
        int n = engine.classCount();
        int validated = 0;
        int hs = 0;
        int hu = 0;
        int ss = 0;
        int su = 0;
        for (int c = 0; c < n; c++) {
            if ((engine.classAttributes(c) & ClassRules.NOVALIDATE) == 0) {
                validated++;
            }
            int u = engine.usage(c);
            if ((u & (Usage.USED_IN_HARDIRQ | Usage.USED_IN_HARDIRQ_READ)) != 0) {
                hs++;
            }
            if ((u & (Usage.ENABLED_HARDIRQ | Usage.ENABLED_HARDIRQ_READ)) != 0) {
                hu++;
            }
            if ((u & (Usage.USED_IN_SOFTIRQ | Usage.USED_IN_SOFTIRQ_READ)) != 0) {
                ss++;
            }
            if ((u & (Usage.ENABLED_SOFTIRQ | Usage.ENABLED_SOFTIRQ_READ)) != 0) {
                su++;
            }
        }
        return new Analysis.GraphSummary(n, validated, engine.graph().size(), engine.chains().size(),
                engine.chains().hlockEntries(), engine.tasks().size(), engine.heldAtEnd(), hs, hu, ss, su);
    }

    private String usage(int cls) {
        if (cls < 0) {
            return null;
        }
        int u = engine.usage(cls);
        return (u & Usage.KNOWN) != 0 ? Usage.string(u) : null;
    }

    /** One dependency as findings carry it. */
    static Finding.CycleEdge edge(GraphBuilder engine, int e) {
        DependencyGraph g = engine.graph();
        return new Finding.CycleEdge(engine.classes().name(g.from(e)), engine.classes().name(g.to(e)),
                DependencyGraph.typeNames(g.mask(e)), g.count(e), g.prevRead(e), g.nextRead(e), g.prevAddress(e),
                g.nextAddress(e), g.witness(e), g.might(e) && engine.everGranted(g.to(e)), g.tasks(e), g.moreTasks(e));
    }

    /** Rotates the cycle so the edge that closed it (the last one the engine created) comes last. */
    private Finding.CircularDependency describe(FindCycles.Cycle c, int id) {
        DependencyGraph g = engine.graph();
        int n = c.edges().length;
        int k = 0;
        for (int i = 1; i < n; i++) {
            if (c.edges()[i] > c.edges()[k]) {
                k = i;
            }
        }
        int start = (k + 1) % n;
        List<String> classes = new ArrayList<>();
        List<String> usage = new ArrayList<>();
        List<Finding.CycleEdge> edges = new ArrayList<>();
        int[] clsIds = new int[n];
        int[] edgeIds = new int[n];
        for (int i = 0; i < n; i++) {
            clsIds[i] = c.classes()[(start + i) % n];
            edgeIds[i] = c.edges()[(start + i) % n];
            classes.add(engine.classes().name(clsIds[i]));
            usage.add(usage(clsIds[i]));
            int e = edgeIds[i];
            edges.add(edge(engine, e));
        }
        List<String> tags = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String verdict;
        if (!c.strong()) {
            verdict = "shared";
            tags.add("shared");
            notes.add("every way round this cycle passes a recursive reader followed by a shared holder: "
                    + "readers do not block each other there, so it cannot deadlock (lockdep's strong-path rule)");
        } else {
            verdict = "deadlock";
            for (int i = 0; i < n; i++) {
                int cls = clsIds[i];
                if ((engine.classAttributes(cls) & ClassRules.ALIASED) == 0) {
                    continue;
                }
                int in = edgeIds[(i + n - 1) % n];
                int out = edgeIds[i];
                if (g.nextAddress(in) != g.prevAddress(out)) {
                    verdict = "name-aliased";
                    if (!tags.contains("name-aliased")) {
                        tags.add("name-aliased");
                    }
                    notes.add(String.format("%s is one trace name for several lockdep classes (lockdep splits it "
                                    + "per file-system type or init site and prints #N); the dependency into it was "
                                    + "seen on instance %016x and the one out of it on %016x, which may belong to "
                                    + "different classes", engine.classes().name(cls), g.nextAddress(in),
                            g.prevAddress(out)));
                }
            }
        }
        for (String cls : classes) {
            if (cls.equals("fs_reclaim")) {
                notes.add("fs_reclaim is lockdep's pseudo-lock for memory reclaim: taking it means \"this allocation "
                        + "may recurse into a filesystem to free memory\"; a lock held across a __GFP_FS allocation "
                        + "that reclaim also takes closes the cycle");
            }
        }
        return new Finding.CircularDependency(id, List.copyOf(classes), java.util.Collections.unmodifiableList(usage),
                List.copyOf(edges), verdict, List.copyOf(tags), List.copyOf(notes), cost(clsIds));
    }

    /** The hot-path cost of tracking a cycle's classes (see Finding.CycleCost). */
    private Finding.CycleCost cost(int[] classes) {
        LockStats st = engine.lockStats();
        long acq = 0;
        long misses = 0;
        long hits = 0;
        long cont = 0;
        long wait = 0;
        for (int c : classes) {
            for (boolean read : new boolean[] {false, true}) {
                acq += st.acquisitions(c, read);
                cont += st.contentions(c, read);
                wait += st.waitTotal(c, read);
            }
            misses += st.chainMisses(c);
            hits += st.chainHits(c);
        }
        return new Finding.CycleCost(st.spanNs(), acq, misses, hits, cont, wait);
    }
}
