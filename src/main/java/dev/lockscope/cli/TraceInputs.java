package dev.lockscope.cli;

import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.Problems;
import dev.lockscope.trace.TraceFormat;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The trace arguments every reading command shares (a picocli mixin): the files, their format, --strict. */
final class TraceInputs {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files, or - for standard input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = "Read every TRACE as FORMAT: ftrace, trace-cmd, perf, csv, tsv or std "
                    + "(default: by extension, then by the first lines).")
    String inputFormat;

    @Option(names = "--strict", description = "Stop at the first malformed line (exit 3) instead of skipping it.")
    boolean strict;

    /** The sources; standard input at most once. */
    List<TraceSource> sources() {
        List<TraceSource> sources = inputs.stream().map(TraceSource::of).toList();
        if (sources.stream().filter(TraceSource::isStdin).count() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "standard input (-) can be given only once");
        }
        return sources;
    }

    /** The --input-format value as a format (null when not given). */
    TraceFormat format() {
        if (inputFormat == null) {
            return null;
        }
        TraceFormat f = TraceFormat.byLabel(inputFormat);
        if (f == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown --input-format '" + inputFormat + "' (expected one of: " + TraceFormat.labels() + ")");
        }
        return f;
    }

    /** Malformed lines: the first {@code max} printed on {@code err}, or under --strict the first one fatal. */
    Problems problems(PrintWriter err, int max) {
        long[] shown = {0};
        return (src, line, reason) -> {
            if (strict) {
                throw new TraceFormatException(src, line, reason);
            }
            if (shown[0]++ < max) {
                err.println(src + ":" + line + ": " + reason);
            }
        };
    }

    /** The user's message for an input that could not be read (exit 3). */
    static UserError error(Exception e) {
        if (e instanceof TraceFormatException) {
            return new UserError(ExitCode.INPUT, e.getMessage() + " (--strict)");
        }
        if (e instanceof InputProblem) {
            return new UserError(ExitCode.INPUT, e.getMessage());
        }
        throw new IllegalArgumentException(e);
    }
}
