package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.CompareRuns;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.report.CompareReport;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockscope compare BEFORE AFTER}: what a fix changed. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Before and after a fix: the cycles that are gone, new and kept (by kind and classes), and per "
                + "class the acquisitions (in all, per second of trace time, and per operation with --op), wait "
                + "and hold times, with the change in percent.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope compare samples/traces/lockinv-mutex.trace samples/traces/lockinv-rwsem.trace.gz",
            "  lockscope compare --op lockinv_mutex_a samples/traces/lockinv-mutex.trace samples/traces/lockinv-mutex.trace",
        })
public final class CompareCommand implements Callable<Integer> {
    enum Format { text, json }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "The trace before the change.")
    String before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "The trace after the change.")
    String after;

    @CommandLine.Mixin
    InputOptions options;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    @CommandLine.Mixin
    ReportOutput out;

    @Option(names = "--op", paramLabel = "CLASS",
            description = "Count acquisitions per acquisition of CLASS (e.g. sb_writers: per write) as well as per second.")
    String op;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        out.check();
        TraceAnalysis[] rb = new TraceAnalysis[1];
        TraceAnalysis[] ra = new TraceAnalysis[1];
        Analysis b = TraceInputs.analyse(spec.commandLine(), options, List.of(before), rb);
        Analysis a = TraceInputs.analyse(spec.commandLine(), options, List.of(after), ra);
        CompareRuns.Result r = CompareRuns.compare(b, rb[0].engine(), a, ra[0].engine(), op);
        out.write(spec.commandLine(), pw -> {
            if (format == Format.json) {
                new CompareReport(pw).json(r, before, after, VersionProvider.version());
            } else {
                new CompareReport(pw).text(r, before, after);
            }
        });
        return ExitCode.OK;
    }
}
