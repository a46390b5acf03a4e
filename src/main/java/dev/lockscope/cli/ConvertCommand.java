package dev.lockscope.cli;

import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.ReadStats;
import dev.lockscope.trace.TraceConversion;
import dev.lockscope.trace.TraceFormat;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import dev.lockscope.trace.TraceWriter;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockscope convert}: any supported trace in, lockscope's CSV (or TSV, or ftrace-like text) out. */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Convert lock traces of any supported format (ftrace, trace-cmd report, perf script, CSV, TSV, STD) "
                + "into lockscope's CSV schema (columns time,task,cpu,op,lock,class,mode,ctx), TSV, or ftrace-like "
                + "text that analyze reads as it reads ftrace. Only lock events (and STD's fork/join, which have no "
                + "ftrace form) are written; other events are counted on standard error.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope convert samples/traces/lockinv-mutex.trace > mutex.csv",
            "  lockscope convert --to ftrace samples/csv/wiphy-rtnl.csv",
            "  lockscope convert --to tsv samples/std/gated.std > gated.tsv",
        })
public final class ConvertCommand implements Callable<Integer> {

    enum To { csv, tsv, ftrace }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TraceInputs in;

    @CommandLine.Mixin
    OutputFile out;

    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "csv",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    To to;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<TraceSource> sources = in.sources();
        TraceFormat format = in.format();
        out.check();
        TraceWriter.Target target = TraceWriter.Target.valueOf(to.name().toUpperCase(Locale.ROOT));
        TraceConversion.Result[] r = new TraceConversion.Result[1];
        out.write(pw -> {
            try {
                r[0] = TraceConversion.run(sources, format, target, pw, in.problems(err), System.in);
            } catch (InputProblem | TraceFormatException e) {
                throw TraceInputs.error(e);
            }
        });
        ReadStats read = r[0].read();
        err.println("lockscope: converted " + read.lockEvents + " lock event" + (read.lockEvents == 1 ? "" : "s")
                + " from " + sources.size() + " input" + (sources.size() == 1 ? "" : "s") + "; skipped "
                + read.otherEventsTotal() + " other events, " + read.malformedTotal + " malformed lines"
                + (r[0].dropped() > 0 ? "; " + r[0].dropped() + " fork/join events have no ftrace form" : ""));
        err.flush();
        return ExitCode.OK;
    }
}
