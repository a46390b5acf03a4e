package dev.lockscope.cli;

import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.Problems;
import dev.lockscope.trace.TraceConversion;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import dev.lockscope.trace.TraceWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files, or - for standard input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--to", paramLabel = "FORMAT", defaultValue = "csv",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    To to;

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = "Read every TRACE as FORMAT: ftrace, trace-cmd, perf, csv, tsv or std "
                    + "(default: by extension, then by the first lines).")
    String inputFormat;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE instead of standard output (refuses to replace an existing file without --force).")
    Path output;

    @Option(names = "--force", description = "Allow --output to replace an existing file.")
    boolean force;

    @Option(names = "--strict", description = "Stop at the first malformed line (exit 3) instead of skipping it.")
    boolean strict;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<TraceSource> sources = inputs.stream().map(TraceSource::of).toList();
        if (sources.stream().filter(TraceSource::isStdin).count() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "standard input (-) can be given only once");
        }
        if (output != null && Files.exists(output) && !force) {
            throw new UserError(ExitCode.USAGE, output + ": exists; use --force to replace it");
        }
        long[] shown = {0};
        Problems problems = (src, line, reason) -> {
            if (strict) {
                throw new TraceFormatException(src, line, reason);
            }
            if (shown[0]++ < 10) {
                err.println(src + ":" + line + ": " + reason);
            }
        };
        TraceWriter.Target target = TraceWriter.Target.valueOf(to.name().toUpperCase(java.util.Locale.ROOT));
        TraceConversion.Result r;
        try {
            if (output == null) {
                Writer w = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
                r = TraceConversion.run(sources, AnalyzeCommand.inputFormat(spec, inputFormat), target, w, problems,
                        System.in);
            } else {
                r = writeAtomically(sources, target, problems);
            }
        } catch (InputProblem e) {
            throw new UserError(ExitCode.INPUT, e.getMessage());
        } catch (TraceFormatException e) {
            throw new UserError(ExitCode.INPUT, e.getMessage() + " (--strict)");
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, (output == null ? "<stdout>" : output) + ": cannot write: " + e.getMessage());
        }
        err.println("lockscope: converted " + r.read().lockEvents + " lock event" + (r.read().lockEvents == 1 ? "" : "s")
                + " from " + sources.size() + " input" + (sources.size() == 1 ? "" : "s") + "; skipped "
                + r.read().otherEventsTotal() + " other events, " + r.read().malformedTotal + " malformed lines"
                + (r.dropped() > 0 ? "; " + r.dropped() + " fork/join events have no ftrace form" : ""));
        err.flush();
        return ExitCode.OK;
    }

    private TraceConversion.Result writeAtomically(List<TraceSource> sources, TraceWriter.Target target,
                                                   Problems problems) throws IOException, InputProblem,
            TraceFormatException {
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".lockscope-", ".tmp");
        try {
            TraceConversion.Result r;
            try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8),
                    1 << 16)) {
                r = TraceConversion.run(sources, AnalyzeCommand.inputFormat(spec, inputFormat), target, w, problems,
                        System.in);
            }
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return r;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
