package dev.lockscope.cli;

import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.Problems;
import dev.lockscope.trace.SymbolsFile;
import dev.lockscope.trace.TraceFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How traces are read and judged: the options analyze and repl share (a picocli mixin). */
public final class InputOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-q", "--quiet"},
            description = "No progress display on standard error (shown only at a terminal, once reading takes over a second).")
    boolean quiet;

    /** --quiet: no progress display (the REPL also leaves out its load time). */
    public boolean quiet() {
        return quiet;
    }

    @Option(names = "--strict", description = "Stop at the first malformed line (exit 3) instead of skipping it.")
    boolean strict;

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

    @Option(names = "--symbols", paramLabel = "FILE",
            description = "Name contention_begin/end addresses no lock_acquire names, from a /proc/kallsyms-style "
                    + "file ('ADDRESS [TYPE] NAME' per line); other addresses become '(unnamed TYPE ADDRESS)' classes.")
    Path symbolsFile;

    /**
     * A configured analysis run; malformed lines go to {@code err} (at most --max-problems of
     * them), or end the run under --strict.
     */
    public TraceAnalysis analysis(PrintWriter err, InputStream stdin) {
        if (maxCycles < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycles must be at least 1");
        }
        ClassRules rules = rules();
        Problems problems = problems(err);
        TraceAnalysis run = new TraceAnalysis(rules, maxCycles, problems, stdin).wholeTrace(wholeTrace);
        if (symbolsFile != null) {
            try {
                run.symbols(SymbolsFile.read(symbolsFile));
            } catch (InputProblem e) {
                throw new UserError(ExitCode.INPUT, e.getMessage());
            }
        }
        return run;
    }

    /** Malformed lines: the first --max-problems printed on {@code err}, or under --strict the first one fatal. */
    public Problems problems(PrintWriter err) {
        long[] shown = {0};
        return (src, line, reason) -> {
            if (strict) {
                throw new TraceFormatException(src, line, reason);
            }
            if (shown[0]++ < maxProblems) {
                err.println(src + ":" + line + ": " + reason);
            }
        };
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
