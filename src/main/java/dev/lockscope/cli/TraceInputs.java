package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.GraphBuilder;
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

/**
 * The trace arguments every reading command shares (a picocli mixin): the files, their format,
 * and how to read them ({@link InputOptions}).
 */
public final class TraceInputs {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files, or - for standard input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--input-format", paramLabel = "FORMAT",
            description = "Read every TRACE as FORMAT: ftrace, trace-cmd, perf, csv, tsv or std "
                    + "(default: by extension, then by the first lines).")
    String inputFormat;

    @CommandLine.Mixin
    InputOptions options;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    private GraphBuilder engine;
    private TraceAnalysis run;

    /** The class graph of the last analysis, for --save-graph. */
    dev.lockscope.graph.ClassGraph classGraph() {
        return run.classGraph();
    }

    /** The engine of the last analysis (graph, chains, lock statistics). */
    GraphBuilder engine() {
        return engine;
    }

    /** The sources; standard input at most once. */
    List<TraceSource> sources() {
        return sources(spec.commandLine(), inputs);
    }

    static List<TraceSource> sources(CommandLine cl, List<String> traces) {
        List<TraceSource> sources = traces.stream().map(TraceSource::of).toList();
        if (sources.stream().filter(TraceSource::isStdin).count() > 1) {
            throw new CommandLine.ParameterException(cl, "standard input (-) can be given only once");
        }
        return sources;
    }

    /** The --input-format value as a format (null when not given). */
    TraceFormat format() {
        return format(spec.commandLine(), inputFormat);
    }

    static TraceFormat format(CommandLine cl, String label) {
        if (label == null) {
            return null;
        }
        TraceFormat f = TraceFormat.byLabel(label);
        if (f == null) {
            throw new CommandLine.ParameterException(cl,
                    "unknown --input-format '" + label + "' (expected one of: " + TraceFormat.labels() + ")");
        }
        return f;
    }

    /** Malformed lines: the first --max-problems printed on {@code err}, or under --strict the first one fatal. */
    Problems problems(PrintWriter err) {
        return options.problems(err);
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

    /** Reads the traces into one analysis; user errors become {@link UserError}s with exit codes. */
    Analysis analyse(CommandLine cl) {
        return analyse(cl, inputs);
    }

    Analysis analyse(CommandLine cl, List<String> traces) {
        TraceAnalysis[] run = new TraceAnalysis[1];
        Analysis a = analyse(cl, options, format(cl, inputFormat), traces, run);
        engine = run[0].engine();
        this.run = run[0];
        return a;
    }

    /** As {@link #analyse(CommandLine, List)} for commands with their own positional traces. */
    static Analysis analyse(CommandLine cl, InputOptions options, TraceFormat format, List<String> traces,
                            TraceAnalysis[] runOut) {
        PrintWriter err = cl.getErr();
        List<TraceSource> sources = sources(cl, traces);
        Analysis a;
        TraceAnalysis run = options.analysis(err, System.in).inputFormat(format);
        runOut[0] = run;
        String label = sources.size() == 1 ? sources.get(0).name() : sources.size() + " inputs";
        try (Progress shown = Progress.start(options.quiet, err, run::reading, () -> label, 1000)) {
            a = run.run(sources);
        } catch (InputProblem | TraceFormatException e) {
            throw error(e);
        }
        if (a.read().malformedTotal > 0) {
            err.println("lockscope: skipped " + a.read().malformedTotal + " malformed line"
                    + (a.read().malformedTotal == 1 ? "" : "s") + " " + a.read().malformedByReason());
        }
        err.flush();
        return a;
    }
}
