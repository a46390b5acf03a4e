package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.Problems;
import dev.lockscope.trace.SymbolsFile;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The trace inputs and how to read them: a mixin shared by every command that analyses traces. */
public final class TraceInputs {

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files, or - for standard input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--strict", description = "Stop at the first malformed line (exit 3) instead of skipping it.")
    boolean strict;

    @Option(names = "--max-problems", paramLabel = "N", defaultValue = "10",
            description = "Print at most N malformed-line messages on standard error (default: ${DEFAULT-VALUE}); all are counted.")
    int maxProblems;

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

    @Option(names = "--symbols", paramLabel = "FILE",
            description = "Name contention_begin/end addresses no lock_acquire names, from a /proc/kallsyms-style "
                    + "file ('ADDRESS [TYPE] NAME' per line); other addresses become '(unnamed TYPE ADDRESS)' classes.")
    Path symbolsFile;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    private dev.lockscope.graph.GraphBuilder engine;

    /** The engine of the last analysis (graph, chains, lock statistics). */
    dev.lockscope.graph.GraphBuilder engine() {
        return engine;
    }

    /** Reads the inputs into one analysis; user errors become {@link UserError}s with exit codes. */
    Analysis analyse(CommandLine cl, List<String> traces, int maxCycles) {
        PrintWriter err = cl.getErr();
        List<TraceSource> sources = traces.stream().map(TraceSource::of).toList();
        if (sources.stream().filter(TraceSource::isStdin).count() > 1) {
            throw new CommandLine.ParameterException(cl, "standard input (-) can be given only once");
        }
        long[] shown = {0};
        Problems problems = (src, line, reason) -> {
            if (strict) {
                throw new TraceFormatException(src, line, reason);
            }
            if (shown[0]++ < maxProblems) {
                err.println(src + ":" + line + ": " + reason);
            }
        };
        Analysis a;
        try {
            TraceAnalysis run = new TraceAnalysis(rules(), maxCycles, problems, System.in).wholeTrace(wholeTrace);
            if (symbolsFile != null) {
                run.symbols(SymbolsFile.read(symbolsFile));
            }
            a = run.run(sources);
            engine = run.engine();
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

    Analysis analyse(CommandLine cl, int maxCycles) {
        return analyse(cl, inputs, maxCycles);
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
