package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.sim.Compiler;
import dev.lockscope.sim.Explorer;
import dev.lockscope.sim.FindWaitCycle;
import dev.lockscope.sim.FtraceText;
import dev.lockscope.sim.Program;
import dev.lockscope.sim.Scenario;
import dev.lockscope.sim.ScenarioException;
import dev.lockscope.sim.ScenarioParser;
import dev.lockscope.sim.SimulationException;
import dev.lockscope.sim.Simulator;
import dev.lockscope.trace.InputProblem;
import dev.lockscope.trace.Problems;
import dev.lockscope.trace.TraceFormatException;
import dev.lockscope.trace.TraceSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockscope simulate}: kernel code paths as data, run as seeded or exhaustive interleavings. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Run a scenario (kernel code paths written as data, see README \"Scenario language\") on virtual CPUs "
                + "and write the ftrace text a lockdep kernel would have produced (lock_acquire, lock_contended, "
                + "lock_acquired, lock_release and the gfs2 glock events), so that 'simulate | analyze -' predicts "
                + "what the run's lock order allows.",
            "",
            "With --seed the interleaving is random but reproducible: the same seed gives the same bytes. "
                + "--runs tries several seeds and prints, per seed, whether the run deadlocked and whether analyze "
                + "predicts a deadlock from its trace; --explore enumerates the interleavings "
                + "(every choice point both ways) up to a preemption bound, with a state cache, and states how many "
                + "schedules it ran and whether it exhausted the bounded space.",
            "",
            "When every live task is blocked the run stops, the trace ends there, the wait-for cycle is printed on "
                + "standard error and the exit status is 4.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope simulate samples/scenarios/gfs2-mmap-read.scn --seed 7 > run.trace",
            "  lockscope simulate samples/scenarios/bcachefs-dio-self.scn --seed 1 | lockscope analyze -",
            "  lockscope simulate samples/scenarios/bcachefs-dio-cross.scn --explore",
            "  lockscope simulate samples/scenarios/gfs2-mmap-read.scn --variant fixed --explore",
            "  lockscope simulate samples/scenarios/stacked-reclaim.scn --runs 20",
        })
public final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A scenario file (.scn).")
    Path scenario;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the random interleaving (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--runs", paramLabel = "K",
            description = "Run seeds N..N+K-1 and analyze each run's trace (kept in memory) as 'analyze' would; print, per seed, "
                    + "whether it deadlocked and what analyze predicts, then how many quiet runs predicted a deadlock.")
    Integer runs;

    @Option(names = "--explore", description = "Enumerate interleavings instead of running one.")
    boolean explore;

    @Option(names = "--variant", paramLabel = "NAME",
            description = "Run the scenario's variant NAME (e.g. fixed): its procedures replace the ones it names.")
    String variant;

    @Option(names = "--preemptions", paramLabel = "B", defaultValue = "2",
            description = "--explore: at most B preemptions per schedule (default: ${DEFAULT-VALUE}).")
    int preemptions;

    @Option(names = "--max-schedules", paramLabel = "N", defaultValue = "1000000",
            description = "--explore: stop after N schedules; the space is then reported as not exhausted (default: ${DEFAULT-VALUE}).")
    long maxSchedules;

    enum Format { ftrace, csv, tsv }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ftrace",
            description = "Trace format of a single run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; csv and tsv "
                    + "are the schema of lockscope convert).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the trace to FILE instead of standard output; with --explore, the trace of the first deadlocking "
                    + "schedule (refuses to replace an existing file without --force).")
    Path output;

    @Option(names = "--force", description = "Allow --output to replace an existing file.")
    boolean force;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (explore && runs != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--explore and --runs exclude each other");
        }
        if (runs != null && output != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--output writes one trace: use it without --runs");
        }
        if (runs != null && runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1");
        }
        if (preemptions < 0 || maxSchedules < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--preemptions must be >= 0 and --max-schedules >= 1");
        }
        if (output != null && Files.exists(output) && !force) {
            throw new UserError(ExitCode.USAGE, output + ": exists; use --force to replace it");
        }
        Program program;
        try {
            Scenario sc = ScenarioParser.parse(scenario);
            program = Compiler.compile(sc, variant);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCode.INPUT, scenario + ": no such file");
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, scenario + ": cannot read: " + e.getMessage());
        } catch (ScenarioException e) {
            throw new UserError(ExitCode.INPUT, e.getMessage());
        }
        try {
            if (explore) {
                return explore(program);
            }
            if (runs != null) {
                return runs(program);
            }
            return run(program);
        } catch (SimulationException e) {
            throw new UserError(ExitCode.INPUT, e.getMessage());
        }
    }

    private String title() {
        return scenario + (variant == null ? "" : " --variant " + variant);
    }

    private int run(Program program) {
        PrintWriter err = spec.commandLine().getErr();
        Simulator.Result r;
        if (format != Format.ftrace) {
            r = runConverted(program);
        } else if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            r = emit(program, new WriterStream(out));
            out.flush();
        } else {
            Simulator.Result[] res = new Simulator.Result[1];
            writeTrace(os -> res[0] = emit(program, os));
            r = res[0];
        }
        if (!r.deadlock()) {
            return ExitCode.OK;
        }
        err.printf("lockscope: %s --seed %d: deadlock after %d events at %s s: every live task is blocked%n",
                title(), seed, r.events(), seconds(r.timeNs()));
        for (String l : FindWaitCycle.describe(r.waits(), r.taskNames())) {
            err.println("  " + l);
        }
        err.flush();
        return ExitCode.DEADLOCK;
    }

    /** Writes {@code --output} through a temporary file in the same directory, moved into place at the end. */
    /** A run written as CSV or TSV: the ftrace text goes through convert's reader and writer. */
    private Simulator.Result runConverted(Program program) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("lockscope-simulate-", ".trace");
            Simulator.Result r;
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                r = emit(program, os);
            }
            Path ftrace = tmp;
            dev.lockscope.trace.TraceWriter.Target target = format == Format.csv
                    ? dev.lockscope.trace.TraceWriter.Target.CSV : dev.lockscope.trace.TraceWriter.Target.TSV;
            java.util.function.Consumer<java.io.Writer> convert = w -> {
                try {
                    dev.lockscope.trace.TraceConversion.run(List.of(dev.lockscope.trace.TraceSource.of(ftrace.toString())),
                            dev.lockscope.trace.TraceFormat.FTRACE, target, w, (src, line, why) -> {
                                throw new IllegalStateException(src + ":" + line + ": " + why);
                            }, System.in);
                } catch (IOException | dev.lockscope.trace.InputProblem | dev.lockscope.trace.TraceFormatException e) {
                    throw new java.io.UncheckedIOException(new IOException(e.getMessage(), e));
                }
            };
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                convert.accept(out);
                out.flush();
            } else {
                writeTrace(os -> {
                    java.io.Writer w = new java.io.OutputStreamWriter(os, java.nio.charset.StandardCharsets.UTF_8);
                    convert.accept(w);
                    try {
                        w.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            return r;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError(ExitCode.INPUT, "cannot write the converted trace: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    private void writeTrace(java.util.function.Consumer<OutputStream> writer) {
        try {
            Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".lockscope-", ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                writer.accept(os);
            }
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError(ExitCode.INPUT, output + ": cannot write: " + e.getMessage());
        }
    }

    private Simulator.Result emit(Program program, OutputStream os) {
        FtraceText text = new FtraceText(program, os);
        text.header();
        Simulator.Result r = Simulator.run(program, seed, text);
        text.flush();
        return r;
    }

    /**
     * Prediction versus reality: each seed's run is simulated, then its trace goes through the
     * real reader and engine (as 'simulate | analyze -' would), and the line says both what
     * happened and what analyze predicts from the trace.
     */
    private int runs(Program program) {
        PrintWriter out = spec.commandLine().getOut();
        long dead = 0;
        long first = -1;
        long quiet = 0;
        long predicted = 0;
        for (long s = seed; s < seed + runs; s++) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            FtraceText text = new FtraceText(program, bytes);
            text.header();
            Simulator.Result r = Simulator.run(program, s, text);
            text.flush();
            Analysis a = analyze(bytes.toByteArray());
            boolean predicts = a.deadlocks() > 0 || !a.recursions().isEmpty();
            out.printf("seed %d: %s after %d events; analyze: %d deadlock cycle%s, %d recursive locking%n", s,
                    r.deadlock() ? "DEADLOCK" : "ok", r.events(), a.deadlocks(), a.deadlocks() == 1 ? "" : "s",
                    a.recursions().size());
            if (r.deadlock()) {
                dead++;
                if (first < 0) {
                    first = s;
                }
            } else {
                quiet++;
                predicted += predicts ? 1 : 0;
            }
        }
        out.printf("%s: %d of %d runs deadlocked%s; analyze predicted a deadlock from %d of the %d runs that did not%n",
                title(), dead, runs, first < 0 ? "" : " (first: --seed " + first + ")", predicted, quiet);
        out.flush();
        return dead > 0 ? ExitCode.DEADLOCK : ExitCode.OK;
    }

    private static Analysis analyze(byte[] trace) {
        Problems fail = (src, line, reason) -> {
            throw new IllegalStateException("the simulator wrote a line analyze cannot read: " + src + ":" + line + ": " + reason);
        };
        try {
            return new TraceAnalysis(ClassRules.defaults(), 100, fail, new java.io.ByteArrayInputStream(trace))
                    .run(List.of(TraceSource.of("-")));
        } catch (InputProblem | TraceFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private int explore(Program program) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Explorer.Report r = Explorer.explore(program, preemptions, maxSchedules);
        out.printf("%s: explored %d schedules with at most %d preemption%s (%d states cached, %d branches pruned)%n",
                title(), r.schedules(), r.bound(), r.bound() == 1 ? "" : "s", r.states(), r.pruned());
        out.println(r.exhausted() ? "space exhausted within the preemption bound"
                : "space NOT exhausted: stopped at --max-schedules " + maxSchedules);
        out.println(r.deadlocks() == 0 ? "no deadlock" : r.deadlocks() + " schedule" + (r.deadlocks() == 1 ? "" : "s")
                + " deadlocked");
        out.flush();
        if (r.deadlocks() == 0) {
            return ExitCode.OK;
        }
        if (output != null) {
            writeTrace(os -> {
                FtraceText text = new FtraceText(program, os);
                text.header();
                Simulator.replay(program, r.firstSteps(), text);
                text.flush();
            });
            out.println("the first deadlocking schedule's trace: " + output);
            out.flush();
        }
        err.printf("lockscope: %s: deadlock: every live task is blocked after this schedule:%n", title());
        err.println("  " + compress(r.firstSchedule()));
        for (String l : FindWaitCycle.describe(r.firstDeadlock(), r.taskNames())) {
            err.println("  " + l);
        }
        err.flush();
        return ExitCode.DEADLOCK;
    }

    /** "a, a, a, b" as "a x3, b". */
    static String compress(List<String> steps) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.size(); ) {
            int j = i;
            while (j < steps.size() && steps.get(j).equals(steps.get(i))) {
                j++;
            }
            b.append(b.length() == 0 ? "" : ", ").append(steps.get(i)).append(j - i > 1 ? " x" + (j - i) : "");
            i = j;
        }
        return b.toString();
    }

    private static String seconds(long ns) {
        return String.format("%d.%06d", ns / 1_000_000_000L, ns / 1000 % 1_000_000);
    }

    /**
     * The trace's bytes onto picocli's writer, so tests capture it like any other output. The
     * simulator writes ASCII only (the parser refuses other names), so a byte is a char; the
     * char buffer is reused.
     */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter w;
        private char[] chars = new char[1 << 16];

        WriterStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b & 0xff);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (chars.length < len) {
                chars = new char[len];
            }
            for (int i = 0; i < len; i++) {
                chars[i] = (char) (b[off + i] & 0xff);
            }
            w.write(chars, 0, len);
        }

        @Override
        public void flush() {
            w.flush();
        }
    }
}
