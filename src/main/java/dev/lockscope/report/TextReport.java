package dev.lockscope.report;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.graph.EngineStats;
import dev.lockscope.model.HeldLock;
import dev.lockscope.model.Witness;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text report, shaped like lockdep's own splats (kernel/locking/lockdep.c
 * print_circular_bug, print_deadlock_bug, print_unlock_imbalance_bug) so kernel people read it
 * at a glance, followed by a statistics block in the layout of /proc/lockdep_stats.
 * Lines that lockdep prints from a live kernel (stack traces) become the trace's witnesses:
 * task, CPU, timestamp and input line, and the held-lock stack at that moment.
 */
public final class TextReport {
    private static final String EQ = "======================================================";
    private static final String DASH = "------------------------------------------------------";
    private final PrintWriter out;
    private final boolean timing;

    private final int stackDepth;

    private final double perAcquireNs;

    public TextReport(PrintWriter out, boolean timing) {
        this(out, timing, 8, 15);
    }

    /**
     * @param stackDepth   at most this many kernel stack frames per witness
     * @param perAcquireNs the kernel's assumed cost of tracking one acquisition (--per-acquire-ns)
     */
    public TextReport(PrintWriter out, boolean timing, int stackDepth, double perAcquireNs) {
        this.out = out;
        this.timing = timing;
        this.stackDepth = stackDepth;
        this.perAcquireNs = perAcquireNs;
    }

    public void write(Analysis a) {
        if (a.timing() != null && a.engine().events() > 0) {
            engineNsPerEvent = (double) a.timing().engineNanos() / a.engine().events();
        }
        out.println("lockscope analyze: " + String.join(" ", a.inputs()));
        out.println();
        long deadlocks = a.deadlocks();
        int cycles = a.cycles().size() + a.cyclesOmitted();
        long recursive = a.recursions().stream().filter(Finding.Recursion::sameInstance).count();
        out.printf(Locale.ROOT, "%d circular dependenc%s (%d deadlock%s), %d recursive locking, %d nested class "
                        + "acquisition%s, %d bad unlock%s%n",
                cycles, cycles == 1 ? "y" : "ies", deadlocks, deadlocks == 1 ? "" : "s", recursive,
                a.recursions().size() - recursive, a.recursions().size() - recursive == 1 ? "" : "s",
                a.unbalanced().size(), a.unbalanced().size() == 1 ? "" : "s");
        if (a.irqStateKnown() && (a.irqInconsistent().size() + a.irqOrders().size() > 0)) {
            out.printf(Locale.ROOT, "%d inconsistent lock state%s, %d irq-safe -> irq-unsafe lock order%s%n",
                    a.irqInconsistent().size(), a.irqInconsistent().size() == 1 ? "" : "s", a.irqOrders().size(),
                    a.irqOrders().size() == 1 ? "" : "s");
        }
        if (!a.remoteDemotes().isEmpty()) {
            out.printf(Locale.ROOT, "%d glock class%s with remote demote requests against local holders%n",
                    a.remoteDemotes().size(), a.remoteDemotes().size() == 1 ? "" : "es");
        }
        for (Finding.CircularDependency c : a.cycles()) {
            cycle(c, a.cycles().size() + a.cyclesOmitted());
        }
        if (a.cyclesOmitted() > 0) {
            out.println();
            out.printf(Locale.ROOT, "lockscope: %d more circular dependencies not listed (--max-cycles caps the list; "
                            + "%d strongly connected components, the largest with %d classes)%n",
                    a.cyclesOmitted(), a.components(), a.largestComponent());
        }
        for (Finding.Recursion r : a.recursions()) {
            recursion(r);
        }
        for (Finding.BadUnlock u : a.unbalanced()) {
            unlock(u);
        }
        for (Finding.DepthOverflow d : a.overflows()) {
            overflow(d);
        }
        for (Finding.IrqInconsistent f : a.irqInconsistent()) {
            irqInconsistent(f);
        }
        for (Finding.IrqOrder f : a.irqOrders()) {
            irqOrder(f);
        }
        if (!a.irqStateKnown() && a.engine().acquires > 0) {
            out.println();
            out.println("lockscope: irq-safety checks not run: the trace has no flags column (irq-info off)");
        }
        for (Finding.RemoteDemote d : a.remoteDemotes()) {
            remoteDemote(d);
        }
        contention(a);
        stats(a);
        out.flush();
    }

    // ------------------------------------------------------------------ cycles

    /** One cycle's full lockdep-style report (the REPL's {@code explain}). */
    public void cycle(Finding.CircularDependency c, int total) {
        int n = c.classes().size();
        List<Finding.CycleEdge> e = c.edges();
        Finding.CycleEdge closing = e.get(n - 1);
        Witness w = closing.witness();
        out.println();
        out.println(EQ);
        switch (c.verdict()) {
            case "deadlock" -> out.println("WARNING: possible circular locking dependency detected");
            case "name-aliased" -> out.println("NOTE: circular dependency between lock names (name-aliased, may be "
                    + "several lockdep classes)");
            default -> out.println("NOTE: circular dependency through shared acquisitions (not a deadlock)");
        }
        out.printf(Locale.ROOT, "lockscope cycle #%d of %d: %d classes, %s%s%n", c.id(), total, n, c.verdict(),
                c.tags().isEmpty() || c.tags().equals(List.of(c.verdict())) ? "" : " [" + String.join(", ", c.tags()) + "]");
        out.println(DASH);
        out.printf("%s/%d is trying to acquire lock:%n", w.comm(), w.pid());
        out.printf("%s (%s)%s%s, at: line %d [%03d] %s%n", Format.addr(closing.toAddr()), c.classes().get(0),
                Format.usage(c.usage().get(0)), readSuffix(closing.toRead()), w.line(), w.cpu(), Format.time(w.timeNs()));
        out.println();
        out.println("but task is already holding lock:");
        HeldLock prevHeld = find(w.held(), closing.fromAddr(), closing.from());
        out.printf("%s (%s)%s%s, at: line %d%n", Format.addr(closing.fromAddr()), closing.from(),
                Format.usage(c.usage().get(n - 1)), readSuffix(closing.fromRead()),
                prevHeld == null ? w.line() : prevHeld.line());
        out.println();
        out.println("which lock already depends on the new lock.");
        out.println();
        out.println();
        out.println("the existing dependency chain (in reverse order) is:");
        for (int k = n - 1; k >= 0; k--) {
            Finding.CycleEdge edge = k == 0 ? closing : e.get(k - 1);
            out.println();
            out.printf("-> #%d (%s)%s:%n", k, c.classes().get(k), Format.usage(c.usage().get(k)));
            edgeWitness(edge);
        }
        out.println();
        out.println("other info that might help us debug this:");
        out.println();
        for (String note : c.notes()) {
            out.println(" " + note);
            out.println();
        }
        if (n > 2) {
            out.println("Chain exists of:");
            out.printf("  %s --> %s --> %s%n%n", c.classes().get(0), c.classes().get(n - 2), c.classes().get(n - 1));
        }
        scenario(c);
        if (c.isDeadlock()) {
            out.println();
            out.println(" *** DEADLOCK ***");
        }
        out.println();
        heldBy(w);
        cost(c);
    }

    /** The quotable cost line of a cycle, and what it is made of. */
    private void cost(Finding.CircularDependency c) {
        Finding.CycleCost k = c.cost();
        out.println();
        out.printf(Locale.ROOT, "cost of tracking: %s%n", costLine(c, perAcquireNs, "--per-acquire-ns"));
        if (timing && engineNsPerEvent > 0) {
            out.printf(Locale.ROOT, "                  %s%n", costLine(c, engineNsPerEvent, "lockscope's own engine cost in this run"));
        }
        out.printf(Locale.ROOT, "  over %s s of trace: %d acquisitions of these classes, %d new chains, %d chain-cache hits, "
                + "%d contentions waiting %s us%n", seconds(k.seconds()), k.acquisitions(), k.newChains(), k.chainHits(),
                k.contentions(), micros(k.waitNs()));
        for (Finding.CycleEdge e : c.edges()) {
            out.printf(Locale.ROOT, "  %s -> %s: %d times, %s/s, by %s%s%n", e.from(), e.to(), e.count(),
                    rate(k.seconds() == 0 ? 0 : e.count() / k.seconds()), String.join(", ", e.tasks()),
                    e.moreTasks() ? " and more" : "");
        }
    }

    private double engineNsPerEvent;

    /** "tracking these 3 classes intercepts 1.2 M acquisitions/s, 0.01 % new chains, ≈ 1.8 % of a CPU at 15 ns". */
    static String costLine(Finding.CircularDependency c, double ns, String source) {
        Finding.CycleCost k = c.cost();
        return String.format(Locale.ROOT, "tracking these %d classes intercepts %s acquisitions/s, %s %% new chains, "
                        + "\u2248 %s %% of a CPU at %s ns (%s)", c.classes().size(), rate(k.acquisitionsPerSecond()),
                percent(k.newChainPercent()), percent(k.cpuPercent(ns)), trim(ns), source);
    }

    static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1f M", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.1f K", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String percent(double p) {
        return p >= 1 || p == 0 ? String.format(Locale.ROOT, "%.1f", p) : String.format(Locale.ROOT, "%.2g", p);
    }

    private static String trim(double ns) {
        return ns == Math.rint(ns) ? String.valueOf((long) ns) : String.format(Locale.ROOT, "%.1f", ns);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    private static String micros(long ns) {
        return String.format(Locale.ROOT, "%.2f", ns / 1e3);
    }

    private void edgeWitness(Finding.CycleEdge edge) {
        edgeWitness(edge.from(), edge.to(), edge.types(), edge.count(), "first", edge.witness(), edge.might());
    }

    /** An edge, then one witness of it with the held stack ("first: task [cpu] time: line N"). */
    void edgeWitness(String from, String to, String types, long count, String label, Witness w, boolean might) {
        out.printf(Locale.ROOT, "       %s -> %s: %s, exercised %d time%s%n", from, to, types, count, count == 1 ? "" : "s");
        witness(label, w, might ? to.equals("&mm->mmap_lock")
                ? "page fault while holding " + from + ": __might_fault() in a user copy takes "
                    + "&mm->mmap_lock for a moment (a fault there would take it)"
                : "might_lock() annotation: " + to + " acquired and released at once" : null);
    }

    void witness(String label, Witness w, String note) {
        out.printf("       %s: %s [%03d] %s: line %d%s%n", label, w.task(), w.cpu(), Format.time(w.timeNs()), w.line(),
                w.reacquired() ? " (re-acquired after an out-of-order release)" : "");
        if (note != null) {
            out.println("       " + note);
        }
        for (int i = 0; i < w.held().size(); i++) {
            out.printf("        #%d: %s%n", i, Format.held(w.held().get(i)));
        }
        stack(w);
    }

    private void stack(Witness w) {
        int n = Math.min(stackDepth, w.stack().size());
        for (int i = 0; i < n; i++) {
            out.println("         => " + w.stack().get(i));
        }
        if (n < w.stack().size()) {
            out.printf("         => ... %d more frames (--stacks)%n", w.stack().size() - n);
        }
    }

    /** lockdep's "Possible unsafe locking scenario", one column per task for longer cycles. */
    private void scenario(Finding.CircularDependency c) {
        int n = c.classes().size();
        List<String> cls = c.classes();
        Finding.CycleEdge closing = c.edges().get(n - 1);
        out.println(" Possible unsafe locking scenario:");
        out.println();
        if (n == 2) {
            String prev = cls.get(1);
            String next = cls.get(0);
            out.println("       CPU0                    CPU1");
            out.println("       ----                    ----");
            out.printf("  %s(%s);%n", closing.fromRead() != 0 ? "rlock" : "lock", prev);
            out.printf("                               lock(%s);%n", next);
            out.printf("                               lock(%s);%n", prev);
            out.printf("  %s(%s);%n", closing.toRead() != 0 ? "rlock" : "lock", next);
            return;
        }
        // CPU0 holds prev and wants next; CPUi (i>=1) holds classes[i-1] and wants classes[i].
        String[] holds = new String[n];
        String[] wants = new String[n];
        holds[0] = (closing.fromRead() != 0 ? "rlock(" : "lock(") + cls.get(n - 1) + ");";
        wants[0] = (closing.toRead() != 0 ? "rlock(" : "lock(") + cls.get(0) + ");";
        for (int i = 1; i < n; i++) {
            holds[i] = "lock(" + cls.get(i - 1) + ");";
            wants[i] = "lock(" + cls.get(i) + ");";
        }
        int width = 29;
        for (int i = 0; i < n; i++) {
            width = Math.max(width, Math.max(holds[i].length(), wants[i].length()) + 4);
        }
        StringBuilder head = new StringBuilder();
        StringBuilder dash = new StringBuilder();
        for (int i = 0; i < n; i++) {
            head.append(pad("     CPU" + i, width));
            dash.append(pad("     ----", width));
        }
        out.println("  " + head.toString().stripTrailing());
        out.println("  " + dash.toString().stripTrailing());
        for (int i = 0; i < n; i++) {
            out.println("  " + " ".repeat(width * i) + holds[i]);
        }
        for (int i = n - 1; i >= 0; i--) {
            out.println("  " + " ".repeat(width * i) + wants[i]);
        }
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private void heldBy(Witness w) {
        int n = w.held().size();
        if (n == 0) {
            out.printf("no locks held by %s/%d.%n", w.comm(), w.pid());
            return;
        }
        out.printf("%d lock%s held by %s/%d:%n", n, n == 1 ? "" : "s", w.comm(), w.pid());
        for (int i = 0; i < n; i++) {
            out.printf(" #%d: %s%n", i, Format.held(w.held().get(i)));
        }
    }

    private static HeldLock find(List<HeldLock> held, long addr, String cls) {
        for (int i = held.size() - 1; i >= 0; i--) {
            if (held.get(i).addr() == addr && held.get(i).cls().equals(cls)) {
                return held.get(i);
            }
        }
        return null;
    }

    private static String readSuffix(int read) {
        return read == 0 ? "" : " " + Format.mode(read);
    }

    // ------------------------------------------------------------------ other findings

    private void recursion(Finding.Recursion r) {
        Witness w = r.witness();
        out.println();
        if (r.sameInstance()) {
            out.println("============================================");
            out.println("WARNING: possible recursive locking detected");
            out.println("--------------------------------------------");
        } else {
            out.println("=====================================================");
            out.println("NOTE: nested acquisition of one lock class (by name)");
            out.println("-----------------------------------------------------");
        }
        out.printf("%s/%d is trying to acquire lock:%n", w.comm(), w.pid());
        out.printf("%s (%s)%s%s, at: line %d [%03d] %s%n", Format.addr(r.addr()), r.cls(), Format.usage(r.usage()),
                readSuffix(r.read()), w.line(), w.cpu(), Format.time(w.timeNs()));
        out.println();
        out.println("but task is already holding lock:");
        out.println(Format.held(r.held()));
        out.println();
        out.println("other info that might help us debug this:");
        if (r.sameInstance()) {
            out.println(" Possible unsafe locking scenario:");
            out.println();
            out.println("       CPU0");
            out.println("       ----");
            out.printf("  %s(%s);%n", r.held().read() != 0 ? "rlock" : "lock", r.cls());
            out.printf("  %s(%s);%n", r.read() != 0 ? "rlock" : "lock", r.cls());
            out.println();
            out.println(" *** DEADLOCK ***");
            out.println();
            out.println(" May be due to missing lock nesting notation");
        } else if (r.aliased()) {
            out.println(" this name covers several lockdep classes (#N in /proc/lockdep); the two instances are");
            out.println(" likely of different classes, which lockdep would not call nesting");
        } else {
            out.println(" another instance of a class the task already holds: lockdep needs a nesting");
            out.println(" annotation for this (a subclass such as SINGLE_DEPTH_NESTING, or a nest_lock);");
            out.println(" the trace does not show subclasses, so this may be an annotated nesting");
        }
        out.println();
        out.printf(Locale.ROOT, "seen %d time%s%n", r.count(), r.count() == 1 ? "" : "s");
        heldBy(w);
    }

    private void unlock(Finding.BadUnlock u) {
        Witness w = u.witness();
        out.println();
        out.println("=====================================");
        out.println("WARNING: bad unlock balance detected!");
        out.println("-------------------------------------");
        out.printf("%s/%d is trying to release lock (%s) at: line %d [%03d] %s%n", w.comm(), w.pid(), u.cls(),
                w.line(), w.cpu(), Format.time(w.timeNs()));
        out.println("but there are no more locks to release!");
        out.println();
        out.printf("%s was acquired at line %d and already released at line %d%n", Format.addr(u.addr()),
                u.acquireLine(), u.earlierReleaseLine());
        out.printf(Locale.ROOT, "seen %d time%s%n", u.count(), u.count() == 1 ? "" : "s");
        heldBy(w);
    }

    private void overflow(Finding.DepthOverflow d) {
        Witness w = d.witness();
        out.println();
        out.println("BUG: MAX_LOCK_DEPTH too low!");
        out.printf(Locale.ROOT, "%s/%d holds 48 locks and acquires (%s) at line %d; %d acquisition%s dropped%n",
                w.comm(), w.pid(), d.cls(), w.line(), d.count(), d.count() == 1 ? "" : "s");
    }

    // ------------------------------------------------------------------ irq safety, glocks, contention

    private void irqInconsistent(Finding.IrqInconsistent f) {
        Witness w = f.toWitness();
        out.println();
        if (f.aliased()) {
            out.println("====================================================");
            out.println("NOTE: inconsistent lock state (name-aliased)");
            out.println("----------------------------------------------------");
        } else {
            out.println("================================");
            out.println("WARNING: inconsistent lock state");
            out.println("--------------------------------");
        }
        out.printf("inconsistent {%s} -> {%s} usage.%n", f.from(), f.to());
        out.printf("%s/%d takes:%n", w.comm(), w.pid());
        out.printf("(%s){%s}, at: line %d [%03d] %s%n", f.cls(), f.usage(), w.line(), w.cpu(), Format.time(w.timeNs()));
        Witness r = f.fromWitness();
        out.printf("{%s} state was registered at: line %d by %s [%03d] %s%n", f.from(), r.line(), r.task(), r.cpu(),
                Format.time(r.timeNs()));
        out.println();
        out.println("other info that might help us debug this:");
        if (f.aliased()) {
            out.println(" this name covers several lockdep classes (#N in /proc/lockdep): the irq use and the");
            out.println(" irq-enabled use may be of different classes");
            return;
        }
        out.println(" Possible unsafe locking scenario:");
        out.println();
        out.println("       CPU0");
        out.println("       ----");
        out.printf("  lock(%s);%n", f.cls());
        out.println("  <Interrupt>");
        out.printf("    lock(%s);%n", f.cls());
        out.println();
        out.println(" *** DEADLOCK ***");
    }

    private void irqOrder(Finding.IrqOrder f) {
        out.println();
        String title = String.format("%s-safe -> %s-unsafe lock order detected", f.state(), f.state());
        String bar = "=".repeat(title.length() + 9);
        out.println(bar);
        out.println((f.aliased() ? "NOTE: " : "WARNING: ") + title + (f.aliased() ? " (name-aliased)" : ""));
        out.println("-".repeat(bar.length()));
        Finding.CycleEdge last = f.path().get(f.path().size() - 1);
        Witness w = last.witness();
        out.printf("%s/%d acquires:%n", w.comm(), w.pid());
        out.printf("(%s){%s}, at: line %d [%03d] %s%n", f.path().get(f.path().size() - 1).to(), f.unsafeUsage(), w.line(),
                w.cpu(), Format.time(w.timeNs()));
        out.println("which connects a " + f.state() + "-irq-safe lock:");
        Witness sw = f.safeWitness();
        out.printf(" (%s){%s}, %s at: line %d by %s%n", f.safe(), f.safeUsage(), f.safeBit(), sw.line(), sw.task());
        out.println("to a " + f.state() + "-irq-unsafe lock:");
        Witness uw = f.unsafeWitness();
        out.printf(" (%s){%s}, %s at: line %d by %s%n", f.unsafe(), f.unsafeUsage(), f.unsafeBit(), uw.line(),
                uw.task());
        out.println();
        out.println("the dependencies between the irq-safe lock and the irq-unsafe lock:");
        for (Finding.CycleEdge e : f.path()) {
            out.println();
            edgeWitness(e);
        }
        out.println();
        out.println("other info that might help us debug this:");
        if (f.aliased()) {
            out.println(" a name on this path covers several lockdep classes (#N in /proc/lockdep): the path may");
            out.println(" join different classes");
            return;
        }
        String middle = f.path().size() > 1 ? f.path().get(f.path().size() - 1).from() : null;
        out.println(" Possible interrupt unsafe locking scenario:");
        out.println();
        out.println("       CPU0                    CPU1");
        out.println("       ----                    ----");
        out.printf("  lock(%s);%n", f.unsafe());
        out.println("                               local_irq_disable();");
        out.printf("                               lock(%s);%n", f.safe());
        if (middle != null) {
            out.printf("                               lock(%s);%n", middle);
        }
        out.println("  <Interrupt>");
        out.printf("    lock(%s);%n", f.safe());
        out.println();
        out.println(" *** DEADLOCK ***");
    }

    private void remoteDemote(Finding.RemoteDemote d) {
        Witness w = d.witness();
        out.println();
        out.println("=====================================================");
        out.println("NOTE: remote demote request for a glock held locally");
        out.println("-----------------------------------------------------");
        out.printf("gfs2_demote_rq remote for %s (%s), at: line %d [%03d] %s%n", Format.addr(d.addr()), d.cls(),
                w.line(), w.cpu(), Format.time(w.timeNs()));
        out.printf("held by %s/%d since line %d%s%n", w.comm(), w.pid(), d.holder().line(),
                d.holder().read() != 0 ? " (shared)" : "");
        out.println("another node waits for this glock until the holder dequeues it, and new local holders");
        out.println("queue behind the demote: a holder that now waits for the other node deadlocks the cluster");
        out.printf(Locale.ROOT, "seen %d time%s%n", d.count(), d.count() == 1 ? "" : "s");
        heldBy(w);
    }

    private void contention(Analysis a) {
        if (a.contentionTotals().begins == 0) {
            return;
        }
        var t = a.contentionTotals();
        out.println();
        out.printf(Locale.ROOT, "lock contention (contention_begin/end): %d waits; addresses named by the trace %d, "
                + "by --symbols %d, unnamed %d%n", t.begins, t.namedByTrace, t.namedBySymbol, t.unnamed);
        out.printf("%52s %10s %14s %14s%n", "class", "waits", "total-us", "max-us");
        int n = 0;
        for (Analysis.ContentionRow r : a.contention()) {
            if (n++ == 10) {
                out.printf("%52s%n", "... (" + (a.contention().size() - 10) + " more classes in --format json)");
                break;
            }
            String name = r.cls().length() > 52 ? "..." + r.cls().substring(r.cls().length() - 49) : r.cls();
            out.printf(Locale.ROOT, "%52s %10d %14.2f %14.2f%n", name, r.waits(), r.totalNs() / 1e3, r.maxNs() / 1e3);
        }
    }

    // ------------------------------------------------------------------ statistics

    /** The statistics block (the REPL's {@code stats}). */
    public void stats(Analysis a) {
        EngineStats s = a.engine();
        Analysis.GraphSummary g = a.graph();
        out.println();
        out.println("lockscope statistics (cf. /proc/lockdep_stats):");
        row("input lines", a.read().lines);
        row("header lines", a.read().headerLines);
        if (a.read().entriesWritten >= 0) {
            row("entries-in-buffer", a.read().entriesInBuffer);
            row("entries-written", a.read().entriesWritten);
        }
        row("lock events", s.events());
        row("  lock_acquire", s.acquires);
        row("    of which trylock", s.trylocks);
        row("  lock_release", s.releases);
        row("  lock_contended", s.contended);
        row("  lock_acquired", s.acquired);
        if (a.read().eventsBeforeWindow > 0) {
            row("lock events before all CPUs begin", a.read().eventsBeforeWindow);
            row("  (overwritten buffer) window from line", a.read().windowStartLine);
        }
        row("other events used", a.read().used.total());
        for (Map.Entry<String, Long> e : a.read().used.byName().entrySet()) {
            row("  " + e.getKey(), e.getValue());
        }
        if (a.read().mmapDuplicates > 0) {
            row("  mmap_lock_* repeating lock_acquire", a.read().mmapDuplicates);
        }
        if (a.read().glockObjectHolds > 0) {
            row("  iopen/journal/nondisk glock holds", a.read().glockObjectHolds);
        }
        if (a.read().glockPromotesUnmatched > 0) {
            row("  gfs2_promote of holders queued earlier", a.read().glockPromotesUnmatched);
        }
        if (a.engine().remoteDemotes > 0) {
            row("  remote demotes", a.engine().remoteDemotes);
            row("    with no local holder", a.engine().remoteDemotesUnheld);
        }
        row("other events (skipped)", a.read().otherEventsTotal());
        for (Map.Entry<String, Long> e : a.read().otherEvents().entrySet()) {
            row("  " + e.getKey(), e.getValue());
        }
        row("lock-classes", g.classes());
        row("  validated (check=1)", g.validatedClasses());
        row("direct dependencies", g.dependencies());
        row("dependency chains", g.chains());
        row("dependency chain hlocks used", g.chainHlocks());
        row("chain lookup hits", s.chainHits);
        row("chain lookup misses", s.chainMisses);
        long lookups = s.chainHits + s.chainMisses;
        out.printf(Locale.ROOT, " %-40s %10.2f%%%n", "chain cache hit rate:",
                lookups == 0 ? 0.0 : 100.0 * s.chainHits / lookups);
        row("hardirq-safe locks", g.hardirqSafe());
        row("hardirq-unsafe locks", g.hardirqUnsafe());
        row("softirq-safe locks", g.softirqSafe());
        row("softirq-unsafe locks", g.softirqUnsafe());
        row("max locking depth", s.maxDepth);
        row("tasks", g.tasks());
        row("locks held at end of trace", g.heldAtEnd());
        row("releases of locks taken before trace", s.releasesBeforeWindow);
        row("releases by another task", s.crossTaskReleases);
        row("out-of-order releases", s.outOfOrderReleases);
        row("  locks re-acquired", s.reacquired);
        row("ended-irq held locks discarded", s.irqLeftovers);
        row("releases of discarded holds", s.releasesOfDiscarded);
        row("NMI events (not tracked)", s.nmiEvents);
        row("lost-event markers", s.lostMarkers);
        row("  events lost", s.lostEvents);
        row("  held locks discarded", s.lostDiscarded);
        row("MAX_LOCK_DEPTH overflows", s.depthOverflows);
        for (Map.Entry<String, Long> e : a.read().skippedByReason().entrySet()) {
            row(e.getKey(), e.getValue());
        }
        row("malformed lines skipped", a.read().malformedTotal);
        for (Map.Entry<String, Long> e : a.read().malformedByReason().entrySet()) {
            row("  " + e.getKey(), e.getValue());
        }
        if (timing && a.timing() != null) {
            Analysis.Timing t = a.timing();
            double secs = t.readNanos() / 1e9;
            out.printf(Locale.ROOT, " %-40s %11.3f%n", "read+engine seconds", secs);
            out.printf(Locale.ROOT, " %-40s %11.0f%n", "events/second", secs == 0 ? 0 : (s.events()) / secs);
            out.printf(Locale.ROOT, " %-40s %11.0f%n", "lines/second", secs == 0 ? 0 : a.read().lines / secs);
            out.printf(Locale.ROOT, " %-40s %11.3f%n", "analysis seconds", t.analysisNanos() / 1e9);
            out.printf(Locale.ROOT, " %-40s %11.1f%n", "engine ns/event", engineNsPerEvent);
            out.printf(Locale.ROOT, " %-40s %11d%n", "peak heap MiB", t.peakHeapBytes() >> 20);
        }
    }

    private void row(String label, long v) {
        out.printf(Locale.ROOT, " %-40s %11d%n", label + ":", v);
    }
}
