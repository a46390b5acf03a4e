package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.report.ColorLines;
import dev.lockscope.report.DotReport;
import dev.lockscope.report.JsonReport;
import dev.lockscope.report.TextReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockscope analyze}: a trace in, lockdep's verdict out. */
@Command(name = "analyze",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Analyse lock traces as lockdep would: every circular lock dependency between lock classes "
                + "(all of them, smallest first, each with the first witness of every edge and lockdep's "
                + "\"Possible unsafe locking scenario\"), recursive locking, nested acquisitions of one class, "
                + "bad unlock balance, and a statistics block like /proc/lockdep_stats.",
            "",
            "TRACE is ftrace text (/sys/kernel/tracing/trace or trace_pipe) with the events lock:lock_acquire, "
                + "lock:lock_release, lock:lock_contended and lock:lock_acquired; other events are counted and "
                + "skipped. Also read: trace-cmd report and perf script output of these events, lockscope's CSV "
                + "and TSV schema (see lockscope convert), and the STD format of deadlock-prediction research. "
                + "The format is --input-format, else the extension (.csv .tsv .std .perf .ftrace), else what "
                + "the first lines look like. Use - for standard input. gzip and xz input is recognised by its "
                + "magic bytes. Several TRACEs are analysed as one graph, each with its own tasks. A graph "
                + "snapshot (--save-graph, lockscope merge) is read in place of a trace and merged into the graph.",
            "",
            "Each cycle carries feasibility tags computed from the witnesses of its edges: single-task, "
                + "gate-locked, trylock-closed, ordered (fork/join), shared; feasible when none applies.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope analyze samples/traces/lockinv-mutex.trace",
            "  xzcat samples/traces/lockinv-mixed.trace.xz | lockscope analyze -",
            "  lockscope analyze --format json samples/traces/lockinv-rwsem.trace.gz > report.json",
            "  lockscope analyze --recursive-read 'tasklist_lock' --max-cycles 10 samples/traces/lockinv-mutex.trace",
            "  lockscope analyze --feasible-only samples/std/gated.std",
            "  lockscope analyze --input-format perf samples/perf/fbcon-drm.perf",
            "  lockscope analyze samples/lockinv-mutex.graph",
            "  lockscope analyze --format dot --dot cycles samples/traces/lockinv-mutex.trace > cycles.dot",
        })
public final class AnalyzeCommand implements Callable<Integer> {

    enum OutputFormat { text, json, dot }

    enum DotScope { all, cycles }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TraceInputs in;

    @CommandLine.Mixin
    OutputFile out;

    @CommandLine.Mixin
    SaveGraphOption saveGraph;

    @CommandLine.Mixin
    ColorOption color;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--dot", paramLabel = "SCOPE", defaultValue = "all",
            description = "With --format dot: draw ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}): every class "
                    + "with a dependency, or only the classes and edges of listed cycles.")
    DotScope dotScope;

    @Option(names = "--svg", paramLabel = "FILE",
            description = "Also render the DOT graph to FILE as SVG with Graphviz's dot (must be on PATH); "
                    + "refuses to replace FILE without --force.")
    java.nio.file.Path svg;

    @Option(names = "--stacks", paramLabel = "N", defaultValue = "8",
            description = "Print at most N kernel stack frames per witness when the trace has them "
                    + "(ftrace's stacktrace option; default: ${DEFAULT-VALUE}, 0 for none). JSON carries them all.")
    int stacks;

    @Option(names = "--per-acquire-ns", paramLabel = "NS", defaultValue = "15",
            description = "The kernel's cost of tracking one acquisition, for each cycle's tracking-cost line "
                    + "(default: ${DEFAULT-VALUE}; lockscope's own measured cost is added with --timing).")
    double perAcquireNs;

    @Option(names = "--feasible-only",
            description = "List only the cycles tagged feasible (hide single-task, gate-locked, trylock-closed, "
                    + "ordered and shared ones; standard error says how many were hidden).")
    boolean feasibleOnly;

    @Option(names = "--timing", description = "Add measured throughput, run time and peak heap to the statistics (these differ between runs).")
    boolean timing;

    @Override
    public Integer call() {
        out.check();
        saveGraph.check(out.force);
        if (svg != null && java.nio.file.Files.exists(svg) && !out.force) {
            throw new UserError(ExitCode.USAGE, svg + ": exists; use --force to replace it");
        }
        if (svg != null) {
            SvgRenderer.require();
        }
        Analysis all = in.analyse(spec.commandLine());
        Analysis a = feasibleOnly ? feasibleOnly(all, spec.commandLine().getErr()) : all;
        saveGraph.save(in::classGraph);
        if (svg != null) {
            SvgRenderer.render(dot(a), svg);
        }
        out.write(pw -> {
            if (format == OutputFormat.dot) {
                pw.print(dot(a));
            } else if (format == OutputFormat.json) {
                new JsonReport(pw, timing, VersionProvider.version(), perAcquireNs).write(a);
            } else {
                dev.lockscope.report.Colors c = color.colors(out.output == null);
                PrintWriter w = c.on() ? new PrintWriter(new ColorLines(pw, c)) : pw;
                new TextReport(w, timing, Math.max(0, stacks), perAcquireNs).write(a);
                w.flush();
            }
        });
        return ExitCode.OK;
    }

    /** The analysis with only the feasible cycles, renumbered; says on stderr how many were hidden. */
    private static Analysis feasibleOnly(Analysis a, PrintWriter err) {
        List<Finding.CircularDependency> kept = new ArrayList<>();
        for (Finding.CircularDependency c : a.cycles()) {
            if (c.tags().contains("feasible")) {
                kept.add(new Finding.CircularDependency(kept.size() + 1, c.classes(), c.usage(), c.edges(), c.verdict(),
                        c.tags(), c.notes(), c.cost()));
            }
        }
        int hidden = a.cycles().size() - kept.size();
        if (hidden > 0) {
            err.println("lockscope: --feasible-only hid " + hidden + " of " + a.cycles().size() + " cycle"
                    + (a.cycles().size() == 1 ? "" : "s"));
            err.flush();
        }
        return a.withCycles(kept);
    }

    private String dot(Analysis a) {
        java.io.StringWriter sw = new java.io.StringWriter();
        new DotReport(new java.io.PrintWriter(sw), dotScope == DotScope.cycles)
                .write(new dev.lockscope.analysis.GraphIndex(in.engine()), a);
        return sw.toString();
    }
}
