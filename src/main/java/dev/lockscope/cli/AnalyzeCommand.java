package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.report.JsonReport;
import dev.lockscope.report.TextReport;
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
                + "skipped. Use - for standard input. gzip and xz input is recognised by its magic bytes. "
                + "Several TRACEs are analysed as one graph, each with its own tasks. A graph snapshot "
                + "(--save-graph, lockscope merge) is read in place of a trace and merged into the graph.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope analyze samples/traces/lockinv-mutex.trace",
            "  xzcat samples/traces/lockinv-mixed.trace.xz | lockscope analyze -",
            "  lockscope analyze --format json samples/traces/lockinv-rwsem.trace.gz > report.json",
            "  lockscope analyze --recursive-read 'tasklist_lock' --max-cycles 10 samples/traces/lockinv-mutex.trace",
            "  lockscope analyze samples/lockinv-mutex.graph",
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
    ReportOutput out;

    @CommandLine.Mixin
    SaveGraphOption saveGraph;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--stacks", paramLabel = "N", defaultValue = "8",
            description = "Print at most N kernel stack frames per witness when the trace has them "
                    + "(ftrace's stacktrace option; default: ${DEFAULT-VALUE}, 0 for none). JSON carries them all.")
    int stacks;

    @Option(names = "--per-acquire-ns", paramLabel = "NS", defaultValue = "15",
            description = "The kernel's cost of tracking one acquisition, for each cycle's tracking-cost line "
                    + "(default: ${DEFAULT-VALUE}; lockscope's own measured cost is added with --timing).")
    double perAcquireNs;

    @Option(names = "--timing", description = "Add measured throughput, run time and peak heap to the statistics (these differ between runs).")
    boolean timing;

    @Override
    public Integer call() {
        out.check();
        saveGraph.check(out.force);
        Analysis a = in.analyse(spec.commandLine());
        saveGraph.save(in::classGraph);
        out.write(spec.commandLine(), pw -> {
            if (format == OutputFormat.json) {
                new JsonReport(pw, timing, VersionProvider.version(), perAcquireNs).write(a);
            } else {
                new TextReport(pw, timing, Math.max(0, stacks), perAcquireNs).write(a);
            }
        });
        return ExitCode.OK;
    }
}
