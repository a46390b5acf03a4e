package dev.lockscope.repl;

import dev.lockscope.cli.ExitCode;
import dev.lockscope.cli.InputOptions;
import dev.lockscope.cli.VersionProvider;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockscope repl}: load traces once, then question the lock graph (see ShellCommands). */
@Command(name = "repl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Load lock traces once, then question the lock dependency graph interactively: classes, deps and rdeps "
                + "of a class, the shortest dependency path between two classes, every recorded witness of an edge "
                + "(why), held-lock chains, cycles and their full lockdep-style reports (explain), statistics, "
                + "the hottest dependencies, re-analysis of a task, CPU or time window (filter), and export to DOT "
                + "or JSON. Type help at the prompt; lockscope-repl-commands(1) documents every command.",
            "",
            "At a terminal: TAB completes commands, options and lock-class names; history is kept in "
                + "$XDG_STATE_HOME/lockscope/history (default ~/.local/state/lockscope/history), each command once; "
                + "Ctrl-C cancels a running load and clears the line, Ctrl-D leaves.",
            "",
            "When standard input is not a terminal, the commands are read from it as a script: no prompt, # starts "
                + "a comment line, and the first failing command ends the run with its exit status.",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope repl samples/traces/lockinv-mutex.trace",
            "  printf 'cycles\\nexplain 1\\n' | lockscope repl samples/traces/lockinv-rwsem.trace.gz",
            "  echo 'path lockinv_mutex_a lockinv_mutex_b' | lockscope repl samples/traces/lockinv-mutex.trace",
        })
public final class ReplCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Mixin
    InputOptions input;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TRACE", description = "Trace files to load (plain, gzip or xz; not -).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--history", paramLabel = "FILE",
            description = "Keep the command history in FILE instead of the XDG state directory.")
    Path history;

    @Option(names = "--no-history", description = "Keep no command history.")
    boolean noHistory;

    @Option(names = "--timing", description = "After each command, print how long it took on standard error: wall and CPU time (# N ms (M ms CPU): command).")
    boolean timing;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        Path file = noHistory ? null : history != null ? history : History.defaultFile(System.getenv());
        if (System.console() == null) {
            // buffered: an autoflushing writer costs a system call per line of a long answer
            PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), 1 << 16), false);
            try {
                return run(null, out, spec.commandLine().getErr(), null, System.in);
            } finally {
                out.flush();
            }
        }
        try (Terminal terminal = TerminalBuilder.builder().name("lockscope").system(true).build()) {
            return run(terminal, terminal.writer(), terminal.writer(), file, null);
        }
    }

    /**
     * The repl: interactive over {@code terminal} (tests use a dumb one over pipes), or, when it
     * is null, a script read from {@code script}.
     */
    int run(Terminal terminal, PrintWriter out, PrintWriter err, Path historyFile, InputStream script)
            throws IOException {
        Session session = new Session(() -> input.analysis(err, System.in), out, terminal != null && !input.quiet());
        if (!inputs.isEmpty()) {
            session.load(inputs);
        }
        return new Shell(terminal, session, out, err).timing(timing).run(historyFile, script);
    }
}
