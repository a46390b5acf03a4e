package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.report.JsonReport;
import dev.lockscope.report.TextReport;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.Problems;
import dev.lockscope.trace.SymbolsFile;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
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
                + "Several TRACEs are analysed as one graph, each with its own tasks.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope analyze samples/traces/lockinv-mutex.trace",
            "  xzcat samples/traces/lockinv-mixed.trace.xz | lockscope analyze -",
            "  lockscope analyze --format json samples/traces/lockinv-rwsem.trace.gz > report.json",
            "  lockscope analyze --recursive-read 'tasklist_lock' --max-cycles 10 samples/traces/lockinv-mutex.trace",
        })
public final class AnalyzeCommand implements Callable<Integer> {

    enum OutputFormat { text, json }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files, or - for standard input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE instead of standard output (refuses to replace an existing file without --force).")
    Path output;

    @Option(names = "--force", description = "Allow --output to replace an existing file.")
    boolean force;

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

    @Option(names = "--stacks", paramLabel = "N", defaultValue = "8",
            description = "Print at most N kernel stack frames per witness when the trace has them "
                    + "(ftrace's stacktrace option; default: ${DEFAULT-VALUE}, 0 for none). JSON carries them all.")
    int stacks;

    @Option(names = "--symbols", paramLabel = "FILE",
            description = "Name contention_begin/end addresses no lock_acquire names, from a /proc/kallsyms-style "
                    + "file ('ADDRESS [TYPE] NAME' per line); other addresses become '(unnamed TYPE ADDRESS)' classes.")
    Path symbolsFile;

    @Option(names = "--timing", description = "Add measured throughput, run time and peak heap to the statistics (these differ between runs).")
    boolean timing;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (maxCycles < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-cycles must be at least 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        ClassRules rules = rules();
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
            if (shown[0]++ < maxProblems) {
                err.println(src + ":" + line + ": " + reason);
            }
        };
        Analysis a;
        try {
            TraceAnalysis run = new TraceAnalysis(rules, maxCycles, problems, System.in).wholeTrace(wholeTrace);
            if (symbolsFile != null) {
                run.symbols(SymbolsFile.read(symbolsFile));
            }
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
        try {
            if (output == null) {
                report(a, spec.commandLine().getOut());
            } else {
                writeAtomically(a);
            }
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, output + ": cannot write: " + e.getMessage());
        }
        return ExitCode.OK;
    }

    private void report(Analysis a, PrintWriter out) {
        if (format == OutputFormat.json) {
            new JsonReport(out, timing, VersionProvider.version()).write(a);
        } else {
            new TextReport(out, timing, Math.max(0, stacks)).write(a);
        }
        out.flush();
    }

    private void writeAtomically(Analysis a) throws IOException {
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".lockscope-", ".tmp");
        try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8);
             PrintWriter pw = new PrintWriter(w)) {
            report(a, pw);
        }
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
