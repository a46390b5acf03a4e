package dev.lockscope.report;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.graph.EngineStats;
import dev.lockscope.model.HeldLock;
import dev.lockscope.model.Witness;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The JSON report, schema {@value #SCHEMA}. Field order is fixed by this class and findings are
 * sorted by the analysis, so the same input gives the same bytes. The schema is documented in
 * the README ("JSON report"); fields are only ever added, never renamed, within a schema version.
 */
public final class JsonReport {
    public static final int SCHEMA = 1;
    private final JsonWriter j;
    private final boolean timing;
    private final String version;

    private final double perAcquireNs;
    private double engineNsPerEvent;

    public JsonReport(PrintWriter out, boolean timing, String version) {
        this(out, timing, version, 15);
    }

    public JsonReport(PrintWriter out, boolean timing, String version, double perAcquireNs) {
        this.j = new JsonWriter(out);
        this.timing = timing;
        this.version = version;
        this.perAcquireNs = perAcquireNs;
    }

    public void write(Analysis a) {
        if (a.timing() != null && a.engine().events() > 0) {
            engineNsPerEvent = (double) a.timing().engineNanos() / a.engine().events();
        }
        j.beginObject();
        j.field("tool", "lockscope");
        j.field("version", version);
        j.field("schema", SCHEMA);
        j.name("inputs").beginArray();
        a.inputs().forEach(j::value);
        j.endArray();
        j.name("summary").beginObject();
        j.field("cycles", a.cycles().size() + a.cyclesOmitted());
        j.field("cycles_listed", a.cycles().size());
        j.field("deadlocks", a.deadlocks());
        j.field("recursive", a.recursions().stream().filter(Finding.Recursion::sameInstance).count());
        j.field("nested", a.recursions().stream().filter(r -> !r.sameInstance()).count());
        j.field("unbalanced", a.unbalanced().size());
        j.field("depth_overflows", a.overflows().size());
        j.endObject();
        j.name("cycles").beginArray();
        for (Finding.CircularDependency c : a.cycles()) {
            cycle(c);
        }
        j.endArray();
        j.name("recursions").beginArray();
        for (Finding.Recursion r : a.recursions()) {
            j.beginObject();
            j.field("identity", r.identity());
            j.field("kind", r.sameInstance() ? "recursive" : "nested");
            j.field("class", r.cls());
            j.field("usage", r.usage());
            j.field("aliased_name", r.aliased());
            j.field("mode", Format.mode(r.read()));
            j.field("addr", Format.addr(r.addr()));
            j.name("held");
            held(r.held());
            j.field("count", r.count());
            j.name("witness");
            witness(r.witness());
            j.endObject();
        }
        j.endArray();
        j.name("unbalanced").beginArray();
        for (Finding.BadUnlock u : a.unbalanced()) {
            j.beginObject();
            j.field("identity", u.identity());
            j.field("class", u.cls());
            j.field("addr", Format.addr(u.addr()));
            j.field("acquire_line", u.acquireLine());
            j.field("earlier_release_line", u.earlierReleaseLine());
            j.field("count", u.count());
            j.name("witness");
            witness(u.witness());
            j.endObject();
        }
        j.endArray();
        j.field("irq_state_known", a.irqStateKnown());
        j.name("irq_inconsistent").beginArray();
        for (Finding.IrqInconsistent f : a.irqInconsistent()) {
            j.beginObject();
            j.field("identity", f.identity());
            j.field("class", f.cls());
            j.field("usage", f.usage());
            j.field("from", f.from());
            j.field("to", f.to());
            j.field("aliased_name", f.aliased());
            j.name("from_witness");
            witness(f.fromWitness());
            j.name("to_witness");
            witness(f.toWitness());
            j.endObject();
        }
        j.endArray();
        j.name("irq_order").beginArray();
        for (Finding.IrqOrder f : a.irqOrders()) {
            j.beginObject();
            j.field("identity", f.identity());
            j.field("state", f.state());
            j.field("safe", f.safe());
            j.field("safe_usage", f.safeUsage());
            j.field("safe_bit", f.safeBit());
            j.name("safe_witness");
            witness(f.safeWitness());
            j.field("unsafe", f.unsafe());
            j.field("unsafe_usage", f.unsafeUsage());
            j.field("unsafe_bit", f.unsafeBit());
            j.name("unsafe_witness");
            witness(f.unsafeWitness());
            j.field("aliased_name", f.aliased());
            j.name("path").beginArray();
            f.path().forEach(this::edge);
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.name("remote_demotes").beginArray();
        for (Finding.RemoteDemote d : a.remoteDemotes()) {
            j.beginObject();
            j.field("identity", d.identity());
            j.field("class", d.cls());
            j.field("addr", Format.addr(d.addr()));
            j.name("holder");
            held(d.holder());
            j.field("count", d.count());
            j.name("witness");
            witness(d.witness());
            j.endObject();
        }
        j.endArray();
        j.name("contention").beginObject();
        j.field("waits", a.contentionTotals().begins);
        j.field("ends", a.contentionTotals().ends);
        j.field("unmatched_ends", a.contentionTotals().unmatchedEnds);
        j.field("named_by_trace", a.contentionTotals().namedByTrace);
        j.field("named_by_symbols", a.contentionTotals().namedBySymbol);
        j.field("unnamed", a.contentionTotals().unnamed);
        j.name("classes").beginArray();
        for (Analysis.ContentionRow r : a.contention()) {
            j.beginObject();
            j.field("class", r.cls());
            j.field("unnamed", r.unnamed());
            j.field("waits", r.waits());
            j.field("total_ns", r.totalNs());
            j.field("max_ns", r.maxNs());
            j.endObject();
        }
        j.endArray();
        j.endObject();
        j.name("depth_overflows").beginArray();
        for (Finding.DepthOverflow d : a.overflows()) {
            j.beginObject();
            j.field("class", d.cls());
            j.field("count", d.count());
            j.name("witness");
            witness(d.witness());
            j.endObject();
        }
        j.endArray();
        stats(a);
        j.endObject();
        j.finish();
    }

    private void cycle(Finding.CircularDependency c) {
        j.beginObject();
        j.field("id", c.id());
        j.field("identity", c.identity());
        j.field("verdict", c.verdict());
        j.name("tags").beginArray();
        c.tags().forEach(j::value);
        j.endArray();
        j.name("classes").beginArray();
        c.classes().forEach(j::value);
        j.endArray();
        j.name("usage").beginArray();
        c.usage().forEach(j::value);
        j.endArray();
        j.name("edges").beginArray();
        c.edges().forEach(this::edge);
        j.endArray();
        j.name("notes").beginArray();
        c.notes().forEach(j::value);
        j.endArray();
        Finding.CycleCost k = c.cost();
        j.name("cost").beginObject();
        j.name("trace_seconds").value(k.seconds(), 6);
        j.field("acquisitions", k.acquisitions());
        j.name("acquisitions_per_second").value(k.acquisitionsPerSecond(), 1);
        j.field("new_chains", k.newChains());
        j.field("chain_hits", k.chainHits());
        j.name("new_chain_percent").value(k.newChainPercent(), 4);
        j.field("contentions", k.contentions());
        j.field("wait_ns", k.waitNs());
        j.name("per_acquire_ns").value(perAcquireNs, 1);
        j.name("cpu_percent").value(k.cpuPercent(perAcquireNs), 6);
        if (timing && engineNsPerEvent > 0) {
            j.name("engine_ns_per_event").value(engineNsPerEvent, 1);
            j.name("cpu_percent_at_engine_cost").value(k.cpuPercent(engineNsPerEvent), 6);
        }
        j.field("summary", TextReport.costLine(c, perAcquireNs, "--per-acquire-ns"));
        j.endObject();
        j.endObject();
    }

    private void edge(Finding.CycleEdge e) {
        j.beginObject();
        j.field("from", e.from());
        j.field("to", e.to());
        j.field("types", e.types());
        j.field("count", e.count());
        j.field("from_mode", Format.mode(e.fromRead()));
        j.field("to_mode", Format.mode(e.toRead()));
        j.field("from_addr", Format.addr(e.fromAddr()));
        j.field("to_addr", Format.addr(e.toAddr()));
        j.field("might", e.might());
        j.name("tasks").beginArray();
        e.tasks().forEach(j::value);
        j.endArray();
        j.field("more_tasks", e.moreTasks());
        j.name("witness");
        witness(e.witness());
        j.endObject();
    }

    private void witness(Witness w) {
        j.beginObject();
        j.field("task", w.comm());
        j.field("pid", w.pid());
        j.field("cpu", w.cpu());
        j.field("time", Format.time(w.timeNs()));
        j.field("line", w.line());
        j.field("reacquired", w.reacquired());
        j.name("held").beginArray();
        for (HeldLock h : w.held()) {
            held(h);
        }
        j.endArray();
        j.name("stack").beginArray();
        w.stack().forEach(j::value);
        j.endArray();
        j.endObject();
    }

    private void held(HeldLock h) {
        j.beginObject();
        j.field("class", h.cls());
        j.field("addr", Format.addr(h.addr()));
        j.field("mode", Format.mode(h.read()));
        j.field("trylock", h.trylock());
        j.field("irq", dev.lockscope.model.Ctx.irqName(h.irq()));
        j.field("line", h.line());
        j.endObject();
    }

    private void stats(Analysis a) {
        EngineStats s = a.engine();
        Analysis.GraphSummary g = a.graph();
        j.name("stats").beginObject();
        j.field("input_lines", a.read().lines);
        j.field("header_lines", a.read().headerLines);
        j.field("lock_events", s.events());
        j.name("events").beginObject();
        j.field("lock_acquire", s.acquires);
        j.field("trylock", s.trylocks);
        j.field("lock_release", s.releases);
        j.field("lock_contended", s.contended);
        j.field("lock_acquired", s.acquired);
        j.endObject();
        j.name("used_events").beginObject();
        for (Map.Entry<String, Long> e : a.read().used.byName().entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject();
        j.field("mmap_lock_duplicates", a.read().mmapDuplicates);
        j.field("glock_object_holds", a.read().glockObjectHolds);
        j.field("glock_promotes_unmatched", a.read().glockPromotesUnmatched);
        j.field("remote_demotes", s.remoteDemotes);
        j.field("remote_demotes_unheld", s.remoteDemotesUnheld);
        j.field("events_before_window", a.read().eventsBeforeWindow);
        j.field("window_start_line", a.read().windowStartLine);
        j.name("other_events").beginObject();
        for (Map.Entry<String, Long> e : a.read().otherEvents().entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject();
        j.field("lock_classes", g.classes());
        j.field("validated_classes", g.validatedClasses());
        j.field("direct_dependencies", g.dependencies());
        j.field("dependency_chains", g.chains());
        j.field("chain_hlocks", g.chainHlocks());
        j.field("chain_hits", s.chainHits);
        j.field("chain_misses", s.chainMisses);
        j.field("hardirq_safe", g.hardirqSafe());
        j.field("hardirq_unsafe", g.hardirqUnsafe());
        j.field("softirq_safe", g.softirqSafe());
        j.field("softirq_unsafe", g.softirqUnsafe());
        j.field("max_depth", s.maxDepth);
        j.field("tasks", g.tasks());
        j.field("held_at_end", g.heldAtEnd());
        j.field("releases_before_window", s.releasesBeforeWindow);
        j.field("cross_task_releases", s.crossTaskReleases);
        j.field("out_of_order_releases", s.outOfOrderReleases);
        j.field("reacquired", s.reacquired);
        j.field("irq_leftovers", s.irqLeftovers);
        j.field("releases_of_discarded", s.releasesOfDiscarded);
        j.field("nmi_events", s.nmiEvents);
        j.field("lost_markers", s.lostMarkers);
        j.field("lost_events", s.lostEvents);
        j.field("lost_discarded", s.lostDiscarded);
        j.field("depth_overflows", s.depthOverflows);
        j.name("lines_not_events").beginObject();
        for (Map.Entry<String, Long> e : a.read().skippedByReason().entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject();
        j.field("lines_skipped", a.read().malformedTotal);
        j.name("skipped_by_reason").beginObject();
        for (Map.Entry<String, Long> e : a.read().malformedByReason().entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject();
        if (timing && a.timing() != null) {
            Analysis.Timing t = a.timing();
            j.name("timing").beginObject();
            j.field("read_ns", t.readNanos());
            j.field("analysis_ns", t.analysisNanos());
            j.name("events_per_second").value(t.readNanos() == 0 ? 0 : s.events() * 1e9 / t.readNanos(), 0);
            j.field("peak_heap_bytes", t.peakHeapBytes());
            j.field("engine_ns", t.engineNanos());
            j.endObject();
        }
        j.endObject();
    }
}
