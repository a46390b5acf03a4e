package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.LockStatTable;
import dev.lockscope.report.StatsReport;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockscope stats}: /proc/lock_stat's numbers from a trace. */
@Command(name = "stats",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Per lock class and mode (-W, -R) what /proc/lock_stat reports, from a trace: contentions "
                + "(lock_contended), wait time (lock_contended -> lock_acquired), acquisitions, hold time "
                + "(lock_acquired, or lock_acquire when lock_stat did not instrument the lock, -> lock_release, per "
                + "instance and task), acquisitions per second of trace time, and the tasks that contended most. "
                + "Holds begun before the trace or still open at its end are counted apart, not guessed.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope stats samples/traces/lockinv-mutex.trace",
            "  lockscope stats --sort hold --top 20 --format csv samples/traces/lockinv-rwsem.trace.gz",
        })
public final class StatsCommand implements Callable<Integer> {

    enum Format { text, json, csv }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Mixin
    TraceInputs in;

    @CommandLine.Mixin
    ReportOutput out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); JSON and CSV times are in ns.")
    Format format;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "contentions",
            description = "Order rows by ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, as lock_stat does).")
    LockStatTable.Sort sort;

    @Option(names = "--top", paramLabel = "N", defaultValue = "0", description = "Only the first N rows (default: all).")
    int top;

    @Override
    public Integer call() {
        out.check();
        Analysis a = in.analyse(spec.commandLine());
        LockStatTable.Table t = LockStatTable.build(in.engine(), sort, top);
        out.write(spec.commandLine(), pw -> {
            StatsReport r = new StatsReport(pw);
            switch (format) {
                case json -> r.json(t, VersionProvider.version());
                case csv -> r.csv(t);
                default -> r.text(t, String.join(" ", a.inputs()));
            }
        });
        return ExitCode.OK;
    }
}
