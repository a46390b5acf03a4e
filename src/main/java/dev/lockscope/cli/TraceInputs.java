package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Trace files and how to read them: the mixin of every command that analyses traces in one go. */
public final class TraceInputs {

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files, or - for standard input.")
    List<String> inputs = new ArrayList<>();

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

    /** Reads the traces into one analysis; user errors become {@link UserError}s with exit codes. */
    Analysis analyse(CommandLine cl, List<String> traces) {
        TraceAnalysis[] run = new TraceAnalysis[1];
        Analysis a = analyse(cl, options, traces, run);
        engine = run[0].engine();
        this.run = run[0];
        return a;
    }

    /** As {@link #analyse(CommandLine, List)} for commands with their own positional traces. */
    static Analysis analyse(CommandLine cl, InputOptions options, List<String> traces, TraceAnalysis[] runOut) {
        PrintWriter err = cl.getErr();
        List<TraceSource> sources = traces.stream().map(TraceSource::of).toList();
        if (sources.stream().filter(TraceSource::isStdin).count() > 1) {
            throw new CommandLine.ParameterException(cl, "standard input (-) can be given only once");
        }
        Analysis a;
        TraceAnalysis run = options.analysis(err, System.in);
        runOut[0] = run;
        String label = sources.size() == 1 ? sources.get(0).name() : sources.size() + " inputs";
        try (Progress shown = Progress.start(options.quiet, err, run::reading, () -> label, 1000)) {
            a = run.run(sources);
        } catch (InputProblem e) {
            throw new UserError(ExitCode.INPUT, e.getMessage());
        } catch (TraceFormatException e) {
            throw new UserError(ExitCode.INPUT, e.getMessage() + " (--strict)");
        }
        if (a.read().malformedTotal > 0) {
            err.println("lockscope: skipped " + a.read().malformedTotal + " malformed line"
                    + (a.read().malformedTotal == 1 ? "" : "s") + " " + a.read().malformedByReason());
        }
        err.flush();
        return a;
    }

    Analysis analyse(CommandLine cl) {
        return analyse(cl, inputs);
    }
}
