package dev.lockscope.repl;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.EventWindow;
import dev.lockscope.analysis.FindChains;
import dev.lockscope.analysis.FindPath;
import dev.lockscope.analysis.Finding;
import dev.lockscope.analysis.GraphIndex;
import dev.lockscope.cli.ExitCode;
import dev.lockscope.cli.UserError;
import dev.lockscope.cli.VersionProvider;
import dev.lockscope.report.DotReport;
import dev.lockscope.report.JsonReport;
import dev.lockscope.report.QueryText;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The commands of {@code lockscope repl}, as picocli commands: the shell parses each line with
 * them, completes with them (picocli-shell-jline3), and {@code help} and the man page
 * lockscope-repl-commands(1) are generated from them. Each command only wires: the question is
 * answered by analysis/ and printed by report/.
 */
@Command(name = "lockscope-repl-commands",
        description = {
            "The commands of the lockscope repl, one per line (at its prompt, or in a script on standard input). "
                + "CLASS is a lock-class name as the trace prints it (&mm->mmap_lock); quote it when it contains "
                + "spaces or quotes. TAB completes commands, options and class names.",
        },
        subcommands = {
            ShellCommands.Load.class, ShellCommands.Classes.class, ShellCommands.Deps.class, ShellCommands.Rdeps.class,
            ShellCommands.PathCmd.class, ShellCommands.Why.class, ShellCommands.Chains.class, ShellCommands.Cycles.class,
            ShellCommands.Explain.class, ShellCommands.Stats.class, ShellCommands.Hot.class, ShellCommands.Filter.class,
            ShellCommands.Unfilter.class, ShellCommands.Export.class, CommandLine.HelpCommand.class,
            ShellCommands.Quit.class,
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope repl samples/traces/lockinv-mutex.trace",
            "  lockscope> cycles",
            "  lockscope> explain 1",
            "  lockscope> deps lockinv_mutex_a",
            "  lockscope> why lockinv_mutex_a lockinv_mutex_b",
            "  printf 'cycles\\nhot 5\\n' | lockscope repl samples/traces/lockinv-rwsem.trace.gz",
        })
public final class ShellCommands implements Runnable {
    Session session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: help)");
    }

    /** Base of every command: the session, and the output writer. */
    @Command
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        ShellCommands shell;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Session session() {
            return shell.session;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        QueryText text() {
            return new QueryText(out(), session().index());
        }

        @Override
        public Integer call() {
            run();
            out().flush();
            return ExitCode.OK;
        }

        abstract void run();
    }

    @Command(name = "load", description = "Load TRACE files (replacing what is loaded), as analyze reads them.")
    static final class Load extends Base {
        @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files (plain, gzip or xz).")
        List<String> files = new ArrayList<>();

        @Override
        void run() {
            session().load(files);
        }
    }

    @Command(name = "classes", description = "List lock classes (all, or those matching GLOB) with acquisitions and edge counts.")
    static final class Classes extends Glob {
        @Override
        void run() {
            text().classes(session().index().classes(glob));
        }
    }

    /** A command about the classes matching an optional glob. */
    @Command
    abstract static class Glob extends Base {
        @Parameters(arity = "0..1", paramLabel = "GLOB", completionCandidates = ClassNames.class,
                description = "Class-name glob: * any run, ? one character.")
        String glob;
    }

    /** A command about one class. */
    @Command
    abstract static class OneClass extends Base {
        @Parameters(paramLabel = "CLASS", completionCandidates = ClassNames.class, description = "A lock class.")
        String cls;
    }

    /** A command about two classes, FROM and TO. */
    @Command
    abstract static class TwoClasses extends Base {
        @Parameters(index = "0", paramLabel = "FROM", completionCandidates = ClassNames.class, description = "A lock class.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", completionCandidates = ClassNames.class, description = "A lock class.")
        String to;
    }

    @Command(name = "deps", description = "Dependencies of CLASS: the locks taken while holding it, with types, counts and first witness.")
    static final class Deps extends OneClass {
        @Override
        void run() {
            text().edges(session().classId(cls), true);
        }
    }

    @Command(name = "rdeps", description = "Reverse dependencies of CLASS: the locks held while taking it.")
    static final class Rdeps extends OneClass {
        @Override
        void run() {
            text().edges(session().classId(cls), false);
        }
    }

    @Command(name = "path", description = "The shortest dependency chain FROM -> ... -> TO, each edge with its first witness.")
    static final class PathCmd extends TwoClasses {
        @Override
        void run() {
            int a = session().classId(from);
            int b = session().classId(to);
            int[] path = a == b ? null : new FindPath(session().index()).find(a, b);
            if (path == null) {
                out().printf("no dependency chain from %s to %s%n", from, to);
            } else {
                text().path(path);
            }
        }
    }

    @Command(name = "why", description = "Every recorded witness of the edge FROM -> TO (the first of each task, up to 8 tasks): "
            + "task, CPU, time, line and the locks held.")
    static final class Why extends TwoClasses {
        @Override
        void run() {
            int a = session().classId(from);
            int b = session().classId(to);
            int e = session().index().graph().find(a, b);
            if (e < 0) {
                throw new UserError(ExitCode.USAGE, "no direct dependency " + from + " -> " + to
                        + " (path FROM TO finds an indirect one)");
            }
            text().why(e);
        }
    }

    @Command(name = "chains", description = "Held-lock chains seen (all, or those with a class matching GLOB), like /proc/lockdep_chains.")
    static final class Chains extends Glob {
        @Override
        void run() {
            text().chains(new FindChains(session().index()).find(glob));
        }
    }

    @Command(name = "cycles", description = "List the circular dependencies, numbered for explain.")
    static final class Cycles extends Base {
        @Option(names = "--feasible", description = "Only those that can deadlock (verdict deadlock: not shared, not name-aliased).")
        boolean feasible;

        @Override
        void run() {
            text().cycles(session().analysis(), feasible);
        }
    }

    @Command(name = "explain", description = "The full lockdep-style report of cycle N (as analyze prints it).")
    static final class Explain extends Base {
        @Parameters(paramLabel = "N", description = "A cycle number from cycles.")
        int n;

        @Override
        void run() {
            Analysis a = session().analysis();
            if (n < 1 || n > a.cycles().size()) {
                throw new UserError(ExitCode.USAGE, "no cycle #" + n + " (" + (a.cycles().isEmpty() ? "there are none"
                        : "cycles lists #1 to #" + a.cycles().size()) + ")");
            }
            Finding.CircularDependency c = a.cycles().get(n - 1);
            text().explain(a, c);
        }
    }

    @Command(name = "stats", description = "The statistics block of analyze, chain-cache figures and the most acquired classes.")
    static final class Stats extends Base {
        @Override
        void run() {
            text().stats(session().analysis(), 10);
        }
    }

    @Command(name = "hot", description = "The N most exercised dependencies.")
    static final class Hot extends Base {
        @Parameters(arity = "0..1", paramLabel = "N", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
        int n;

        @Override
        void run() {
            if (n < 1) {
                throw new UserError(ExitCode.USAGE, "hot: N must be at least 1");
            }
            text().hot(n);
        }
    }

    @Command(name = "filter", description = "Re-analyse the loaded traces through a window: only events of matching tasks, "
            + "CPUs and times (all given conditions must hold). Replaces any earlier filter.")
    static final class Filter extends Base {
        @Parameters(arity = "1..3", paramLabel = "COND",
                description = "task=GLOB (comm, comm-pid or pid), cpu=N[,N...], time=A..B (seconds, either end may be left out).")
        List<String> conditions = new ArrayList<>();

        @Override
        void run() {
            session().filter(window(conditions));
        }

        static EventWindow window(List<String> conditions) {
            String task = null;
            int[] cpus = null;
            long from = Long.MIN_VALUE;
            long to = Long.MAX_VALUE;
            for (String c : conditions) {
                int eq = c.indexOf('=');
                String key = eq < 0 ? c : c.substring(0, eq);
                String v = eq < 0 ? "" : c.substring(eq + 1);
                try {
                    switch (key) {
                        case "task" -> task = nonEmpty(c, v);
                        case "cpu" -> {
                            cpus = Arrays.stream(nonEmpty(c, v).split(",")).mapToInt(Integer::parseInt).sorted().toArray();
                        }
                        case "time" -> {
                            int dots = v.indexOf("..");
                            if (dots < 0) {
                                throw new UserError(ExitCode.USAGE, "filter: " + c + ": give time=A..B (seconds)");
                            }
                            if (dots > 0) {
                                from = nanos(v.substring(0, dots));
                            }
                            if (dots + 2 < v.length()) {
                                to = nanos(v.substring(dots + 2));
                            }
                        }
                        default -> throw new UserError(ExitCode.USAGE, "filter: " + c
                                + ": conditions are task=GLOB, cpu=N[,N...], time=A..B");
                    }
                } catch (NumberFormatException e) {
                    throw new UserError(ExitCode.USAGE, "filter: " + c + ": not a number");
                }
            }
            return new EventWindow(task, cpus, from, to);
        }

        private static String nonEmpty(String cond, String v) {
            if (v.isEmpty()) {
                throw new UserError(ExitCode.USAGE, "filter: " + cond + ": empty value");
            }
            return v;
        }

        private static long nanos(String seconds) {
            return new java.math.BigDecimal(seconds).movePointRight(9).longValueExact();
        }
    }

    @Command(name = "unfilter", description = "Re-analyse the loaded traces without a filter.")
    static final class Unfilter extends Base {
        @Override
        void run() {
            session().filter(EventWindow.ALL);
        }
    }

    @Command(name = "export", description = "Write the dependency graph as Graphviz DOT (cycle edges coloured) or the "
            + "analyze JSON report to FILE.")
    static final class Export extends Base {
        enum Format { dot, json }

        @Parameters(index = "0", paramLabel = "FORMAT", description = "${COMPLETION-CANDIDATES}")
        Format format;

        @Parameters(index = "1", paramLabel = "FILE", description = "Output file (refused when it exists, unless --force).")
        Path file;

        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Override
        void run() {
            GraphIndex index = session().index();
            Analysis a = session().analysis();
            if (Files.exists(file) && !force) {
                throw new UserError(ExitCode.USAGE, file + ": exists; use --force to replace it");
            }
            write(file, w -> {
                if (format == Format.dot) {
                    new DotReport(w).write(index, a);
                } else {
                    new JsonReport(w, false, VersionProvider.version()).write(a);
                }
            });
            out().printf("wrote %s%n", file);
        }

        private static void write(Path file, Consumer<PrintWriter> body) {
            try {
                Path dir = file.toAbsolutePath().getParent();
                Path tmp = Files.createTempFile(dir, ".lockscope-", ".tmp");
                try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8);
                     PrintWriter pw = new PrintWriter(w)) {
                    body.accept(pw);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UserError(ExitCode.INPUT, file + ": cannot write: " + e.getMessage());
            }
        }
    }

    @Command(name = "quit", aliases = "exit", description = "Leave the repl (so does Ctrl-D).")
    static final class Quit extends Base {
        @Override
        void run() {
            session().quit();
        }
    }
}
