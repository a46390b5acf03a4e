package dev.lockscope.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassGraph;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.graph.MergeClassGraphs;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.trace.FtraceReader;
import dev.lockscope.trace.ReadStats;
import dev.lockscope.trace.TraceSource;
import dev.lockscope.util.ByteSymbols;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet workflow: a real capture split into parts, each part snapshotted, the snapshots
 * merged in different trees, against the whole trace. The parts are cut where no task holds a
 * lock, so no lock chain spans a cut; then "identical" means: the same classes with the same
 * usage bits and acquisition counts, the same dependencies with the same types, exercise counts
 * and distances, the same observations with the same counts, the same findings (identities, and
 * cycle edges with types and counts), and every distinct chain of the whole trace. Not compared: inputs and first witnesses, whose line numbers are
 * those of each part.
 */
class MergeTest {
    static final String CAPTURE = "samples/traces/lockinv-mixed.trace.xz";

    @Test
    void splitCaptureMergesToTheWholeGraphInAnyOrder(@TempDir Path dir) throws Exception {
        List<String> lines;
        try (InputStream in = TraceSource.of(CAPTURE).open(InputStream.nullInputStream())) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<Long> quiet = quiescentLines(String.join("\n", lines) + "\n");
        assertTrue(quiet.size() > 10, "the capture has points where no lock is held: " + quiet.size());
        int header = 0;
        while (lines.get(header).startsWith("#")) {
            header++;
        }
        // cut after two quiescent lines at about a third and two thirds of the trace
        int cut1 = cutNear(quiet, lines.size() / 3);
        int cut2 = cutNear(quiet, 2 * lines.size() / 3);
        assertTrue(header < cut1 && cut1 < cut2 && cut2 < lines.size(), cut1 + " " + cut2);
        List<String> head = lines.subList(0, header);
        List<Path> parts = List.of(
                part(dir, "part-0", head, lines.subList(header, cut1)),
                part(dir, "part-1", head, lines.subList(cut1, cut2)),
                part(dir, "part-2", head, lines.subList(cut2, lines.size())));

        // each part analysed alone and snapshotted (through the file format)
        List<ClassGraph> g = new ArrayList<>();
        for (Path p : parts) {
            TraceAnalysis r = run();
            r.run(List.of(TraceSource.of(p.toString())));
            g.add(roundTrip(r.classGraph()));
        }
        ClassGraph left = MergeClassGraphs.merge(MergeClassGraphs.merge(g.get(0), g.get(1)), g.get(2));
        ClassGraph right = MergeClassGraphs.merge(g.get(2), MergeClassGraphs.merge(g.get(1), g.get(0)));
        ClassGraph middle = MergeClassGraphs.merge(g.get(1), MergeClassGraphs.merge(g.get(2), g.get(0)));
        assertEquals(text(left), text(right), "associative and order-independent, byte for byte");
        assertEquals(text(left), text(middle));

        TraceAnalysis wholeRun = run();
        Analysis whole = wholeRun.run(List.of(TraceSource.of(CAPTURE)));
        ClassGraph w = wholeRun.classGraph();
        assertNotEquals(0, w.edges().size());
        assertEquals(w.classes(), left.classes(), "classes, usage bits, acquisitions");
        assertEquals(edges(w), edges(left), "dependencies: types, counts, distances");
        // a chain's irq-context segment is inferred from per-CPU state that can begin before a cut,
        // so a part may file a chain under a second context as well: the whole trace's chains are all there
        assertTrue(left.chains().containsAll(w.chains()), "every chain of the whole trace");
        assertEquals(obs(w), obs(left), "observations and their counts");

        // the merged snapshot analysed like a trace gives the whole trace's findings
        Path merged = dir.resolve("all.graph");
        Files.writeString(merged, text(left));
        TraceAnalysis mergedRun = run();
        Analysis m = mergedRun.run(List.of(TraceSource.of(merged.toString())));
        assertEquals(identities(whole), identities(m));
        assertEquals(whole.cycles().stream().map(c -> c.identity() + " " + c.verdict()).sorted().toList(),
                m.cycles().stream().map(c -> c.identity() + " " + c.verdict()).sorted().toList(), "verdicts");
        assertTrue(identities(m).stream().anyMatch(s -> s.startsWith("cycle:")), identities(m).toString());
        assertEquals(whole.cycles().stream().map(c -> c.edges().stream().map(e -> e.from() + ">" + e.to() + " "
                        + e.types() + " " + e.count()).sorted().toList()).toList(),
                m.cycles().stream().map(c -> c.edges().stream().map(e -> e.from() + ">" + e.to() + " " + e.types()
                        + " " + e.count()).sorted().toList()).toList(), "cycle edges with types and counts");
    }

    /** Cut anywhere (locks held across the cut): the dependencies that span a cut are lost, none is invented. */
    @Test
    void cutsThroughHeldLocksLoseDependenciesButInventNone(@TempDir Path dir) throws Exception {
        List<String> lines;
        try (InputStream in = TraceSource.of(CAPTURE).open(InputStream.nullInputStream())) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        int header = 0;
        while (lines.get(header).startsWith("#")) {
            header++;
        }
        List<String> head = lines.subList(0, header);
        List<ClassGraph> g = new ArrayList<>();
        int n = 7;
        for (int i = 0; i < n; i++) {
            int from = header + (lines.size() - header) * i / n;
            int to = header + (lines.size() - header) * (i + 1) / n;
            Path p = part(dir, "cut-" + i, head, lines.subList(from, to));
            TraceAnalysis r = run();
            r.run(List.of(TraceSource.of(p.toString())));
            g.add(r.classGraph());
        }
        ClassGraph merged = MergeClassGraphs.mergeAll(g);
        TraceAnalysis wholeRun = run();
        wholeRun.run(List.of(TraceSource.of(CAPTURE)));
        ClassGraph w = wholeRun.classGraph();
        assertFalse(merged.edges().isEmpty(), "the cuts kept no dependency");
        assertTrue(w.edges().keySet().containsAll(merged.edges().keySet()), "no dependency the whole trace lacks");
        for (ClassGraph.Edge e : merged.edges().values()) {
            ClassGraph.Edge whole = w.edges().get(ClassGraph.edgeKey(e.from(), e.to()));
            assertTrue(e.count() <= whole.count(), e + " vs " + whole);
        }
        assertEquals(w.classes().keySet(), merged.classes().keySet());
    }

    @Test
    void aCycleCanExistOnlyInTheMergedGraph(@TempDir Path dir) throws Exception {
        String head = "# tracer: nop\n#\n";
        Path a = dir.resolve("host-a.trace");
        Files.writeString(a, head
                + "  w-100 [000] .....  10.000010: lock_acquire: ffff0010 &dev->lock_a\n"
                + "  w-100 [000] .....  10.000020: lock_acquire: ffff0020 &dev->lock_b\n"
                + "  w-100 [000] .....  10.000030: lock_release: ffff0020 &dev->lock_b\n"
                + "  w-100 [000] .....  10.000040: lock_release: ffff0010 &dev->lock_a\n");
        Path b = dir.resolve("host-b.trace");
        Files.writeString(b, head
                + "  v-200 [001] .....  20.000010: lock_acquire: ffff0920 &dev->lock_b\n"
                + "  v-200 [001] .....  20.000020: lock_acquire: ffff0910 &dev->lock_a\n"
                + "  v-200 [001] .....  20.000030: lock_release: ffff0910 &dev->lock_a\n"
                + "  v-200 [001] .....  20.000040: lock_release: ffff0920 &dev->lock_b\n");
        TraceAnalysis ra = run();
        assertEquals(0, ra.run(List.of(TraceSource.of(a.toString()))).cycles().size());
        TraceAnalysis rb = run();
        assertEquals(0, rb.run(List.of(TraceSource.of(b.toString()))).cycles().size());
        Path merged = dir.resolve("ab.graph");
        Files.writeString(merged, text(MergeClassGraphs.merge(ra.classGraph(), rb.classGraph())));
        Analysis m = run().run(List.of(TraceSource.of(merged.toString())));
        assertEquals(List.of("cycle:&dev->lock_a &dev->lock_b"), identities(m));
        assertEquals("deadlock", m.cycles().get(0).verdict());
    }

    @Test
    void damagedSnapshotsAreRejectedWithTheirLine() {
        String good = "lockscope-graph 1\nclass\t0\ta\t0\t1\nend\t1\t0\t0\t0\n";
        assertEquals(1, read(good).classes().size());
        assertProblem("x.graph:2: truncated: no end record", "lockscope-graph 1\nclass\t0\ta\t0\t1\n");
        assertProblem("x.graph:1: snapshot version '2' is not supported (this lockscope reads version 1)",
                "lockscope-graph 2\n");
        assertProblem("x.graph:2: class id 0 is not defined above",
                "lockscope-graph 1\nedge\t0\t1\tEN\t1\t1\t\t0\t\t0\t0\t0\n");
        assertProblem("x.graph:3: record counts do not match the end record (file damaged?)",
                "lockscope-graph 1\nclass\t0\ta\t0\t1\nend\t2\t0\t0\t0\n");
    }

    private static void assertProblem(String message, String text) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.lockscope.trace.InputProblem.class,
                () -> GraphSnapshot.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x.graph"));
        assertEquals(message, e.getMessage());
    }

    private static ClassGraph read(String text) {
        try {
            return GraphSnapshot.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x.graph");
        } catch (dev.lockscope.trace.InputProblem e) {
            throw new AssertionError(e);
        }
    }

    static TraceAnalysis run() {
        return new TraceAnalysis(ClassRules.defaults(), 100, (s, l, r) -> {
            throw new AssertionError(s + ":" + l + ": " + r);
        }, InputStream.nullInputStream()).wholeTrace(true);
    }

    private static ClassGraph roundTrip(ClassGraph g) {
        ClassGraph back = read(text(g));
        assertEquals(g, back, "the snapshot format keeps everything");
        return back;
    }

    static String text(ClassGraph g) {
        StringWriter sw = new StringWriter();
        GraphSnapshot.write(g, new PrintWriter(sw));
        return sw.toString();
    }

    private static Map<String, String> edges(ClassGraph g) {
        Map<String, String> m = new TreeMap<>();
        g.edges().forEach((k, e) -> m.put(k, e.mask() + " " + e.count() + " " + e.distance()));
        return m;
    }

    private static Map<String, Long> obs(ClassGraph g) {
        Map<String, Long> m = new TreeMap<>();
        g.observations().forEach((k, o) -> m.put(k, o.count()));
        return m;
    }

    private static List<String> identities(Analysis a) {
        List<Finding> all = new ArrayList<>(a.cycles());
        all.addAll(a.recursions());
        all.addAll(a.unbalanced());
        all.addAll(a.irqInconsistent());
        all.addAll(a.irqOrders());
        return all.stream().map(Finding::identity).sorted().collect(Collectors.toList());
    }

    private static Path part(Path dir, String name, List<String> head, List<String> body) throws Exception {
        Path p = dir.resolve(name + ".trace");
        List<String> all = new ArrayList<>(head);
        all.addAll(body);
        Files.write(p, all);
        return p;
    }

    /** The first quiescent line at or after {@code target}: the part ends there (1-based line = list index after it). */
    private static int cutNear(List<Long> quiet, int target) {
        for (long l : quiet) {
            if (l >= target) {
                return (int) l;
            }
        }
        throw new AssertionError("no quiescent line after " + target);
    }

    /** Lines after which no task of the trace holds a lock (the engine's own held stacks). */
    private static List<Long> quiescentLines(String trace) throws Exception {
        ByteSymbols classes = new ByteSymbols();
        Tasks tasks = new Tasks();
        GraphBuilder engine = new GraphBuilder(tasks, classes, ClassRules.defaults());
        List<Long> quiet = new ArrayList<>();
        EventSink probe = new EventSink() {
            public void acquire(int task, int cpu, int ctx, long t, long line, long addr, int cls, boolean trylock,
                                boolean read) {
                engine.acquire(task, cpu, ctx, t, line, addr, cls, trylock, read);
            }

            public void release(int task, int cpu, int ctx, long t, long line, long addr, int cls) {
                engine.release(task, cpu, ctx, t, line, addr, cls);
                if (engine.heldAtEnd() == 0) {
                    quiet.add(line);
                }
            }

            public void contended(int task, int cpu, int ctx, long t, long line, long addr, int cls) {
                engine.contended(task, cpu, ctx, t, line, addr, cls);
            }

            public void acquired(int task, int cpu, int ctx, long t, long line, long addr, int cls) {
                engine.acquired(task, cpu, ctx, t, line, addr, cls);
            }

            public void lostEvents(int cpu, long count, long line) {
                engine.lostEvents(cpu, count, line);
            }

            public void contentionBegin(int task, int cpu, int ctx, long t, long line, long addr, int flags, int hint) {
                engine.contentionBegin(task, cpu, ctx, t, line, addr, flags, hint);
            }

            public void contentionEnd(int task, int cpu, int ctx, long t, long line, long addr) {
                engine.contentionEnd(task, cpu, ctx, t, line, addr);
            }

            public void remoteDemote(int task, int cpu, int ctx, long t, long line, long addr, int cls) {
                engine.remoteDemote(task, cpu, ctx, t, line, addr, cls);
            }
        };
        FtraceReader reader = new FtraceReader("whole", tasks, classes, probe, new ReadStats(), (s, l, r) -> {
        }, true);
        engine.startInput(tasks, reader);
        reader.read(new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)));
        return quiet;
    }
}
