package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.report.JsonReport;
import dev.lockscope.report.TextReport;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
                + "magic bytes. Several TRACEs are analysed as one graph, each with its own tasks.",
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
        })
public final class AnalyzeCommand implements Callable<Integer> {

    enum OutputFormat { text, json }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TraceInputs in;

    @CommandLine.Mixin
    OutputFile out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--max-problems", paramLabel = "N", defaultValue = "10",
            description = "Print at most N malformed-line messages on standard error (default: ${DEFAULT-VALUE}); all are counted.")
    int maxProblems;

    @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "100",
            description = "List at most N cycles (default: ${DEFAULT-VALUE}); the rest are counted.")
    int maxCycles;

    @Option(names = "--recursive-read", paramLabel = "GLOB",
            description = "Treat traced reads of matching classes as recursive (read=2), e.g. rwlock_t readers. Repeatable.")
    List<String> recursiveRead = new ArrayList<>();

    @Option(names = "--class-rules", paramLabel = "FILE",
            description = "Add class rules ('<novalidate|recursive-read|aliased|no-...> <glob>' per line) after the built-in table.")
    List<Path> classRules = new ArrayList<>();

    @Option(names = "--no-default-classes", description = "Do not load the built-in class table (rcu, seqcount, aliased names).")
    boolean noDefaultClasses;

    @Option(names = "--whole-trace",
            description = "When the header shows an overwritten ring buffer, analyse from the first line instead of from "
                    + "the point where every CPU's part of the trace has begun (earlier events may miss a task's "
                    + "releases on another CPU and so build dependencies that never existed).")
    boolean wholeTrace;

    @Option(names = "--feasible-only",
            description = "List only the cycles tagged feasible (hide single-task, gate-locked, trylock-closed, "
                    + "ordered and shared ones; standard error says how many were hidden).")
    boolean feasibleOnly;

    @Option(names = "--timing", description = "Add measured throughput, run time and peak heap to the statistics (these differ between runs).")
    boolean timing;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (maxCycles < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycles must be at least 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        ClassRules rules = rules();
        List<TraceSource> sources = in.sources();
        out.check();
        Analysis a;
        try {
            a = new TraceAnalysis(rules, maxCycles, in.problems(err, maxProblems), System.in).wholeTrace(wholeTrace)
                    .inputFormat(in.format()).run(sources);
        } catch (InputProblem | TraceFormatException e) {
            throw TraceInputs.error(e);
        }
        if (a.read().malformedTotal > 0) {
            err.println("lockscope: skipped " + a.read().malformedTotal + " malformed line"
                    + (a.read().malformedTotal == 1 ? "" : "s") + " " + a.read().malformedByReason());
        }
        if (feasibleOnly) {
            a = feasibleOnly(a, err);
        }
        err.flush();
        Analysis report = a;
        out.write(pw -> report(report, pw));
        return ExitCode.OK;
    }

    /** The analysis with only the feasible cycles, renumbered; says on stderr how many were hidden. */
    private static Analysis feasibleOnly(Analysis a, PrintWriter err) {
        List<Finding.CircularDependency> kept = new ArrayList<>();
        for (Finding.CircularDependency c : a.cycles()) {
            if (c.tags().contains("feasible")) {
                kept.add(new Finding.CircularDependency(kept.size() + 1, c.classes(), c.usage(), c.edges(), c.verdict(),
                        c.tags(), c.notes()));
            }
        }
        int hidden = a.cycles().size() - kept.size();
        if (hidden > 0) {
            err.println("lockscope: --feasible-only hid " + hidden + " of " + a.cycles().size() + " cycle"
                    + (a.cycles().size() == 1 ? "" : "s"));
        }
        return new Analysis(a.inputs(), kept, a.cyclesOmitted(), a.components(), a.largestComponent(), a.recursions(),
                a.unbalanced(), a.overflows(), a.graph(), a.engine(), a.read(), a.timing());
    }

    private void report(Analysis a, PrintWriter pw) {
        if (format == OutputFormat.json) {
            new JsonReport(pw, timing, VersionProvider.version()).write(a);
        } else {
            new TextReport(pw, timing).write(a);
        }
        pw.flush();
    }

    private ClassRules rules() {
        ClassRules r = noDefaultClasses ? ClassRules.none() : ClassRules.defaults();
        for (Path p : classRules) {
            try {
                r.load(p);
            } catch (IOException e) {
                throw new UserError(ExitCode.INPUT, p + ": cannot read: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, e.getMessage());
            }
        }
        for (String g : recursiveRead) {
            r.add("recursive-read", g, "--recursive-read");
        }
        return r;
    }
}
