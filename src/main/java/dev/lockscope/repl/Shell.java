package dev.lockscope.repl;

import dev.lockscope.cli.ErrorHandler;
import dev.lockscope.cli.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.Completer;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.AggregateCompleter;
import org.jline.reader.impl.completer.SystemCompleter;
import org.jline.terminal.Terminal;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliCommands;

/**
 * The REPL loop over a JLine terminal. Interactive: a prompt, TAB completion (commands,
 * options, class names), history, Ctrl-C cancels the running command (or clears the line),
 * Ctrl-D leaves; an error is printed and the session goes on. Script mode (standard input is
 * not a terminal): no prompt, {@code #} comment lines, and the first failing command ends the
 * run with its exit code. Lines are split into words by JLine's parser in both modes, so
 * quoting works the same way.
 */
public final class Shell {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final Terminal terminal;
    private final boolean interactive;
    private final Session session;
    private final CommandLine commands;
    private final Parser parser = new DefaultParser();
    private final PrintWriter out;
    private final PrintWriter err;
    private boolean timing;

    /**
     * @param terminal the terminal of an interactive session; null in a script
     * @param out      the terminal's writer, or standard output in a script
     * @param err      where errors go: the terminal when interactive, standard error in a script
     */
    Shell(Terminal terminal, Session session, PrintWriter out, PrintWriter err) {
        this.terminal = terminal;
        this.interactive = terminal != null;
        this.session = session;
        this.out = out;
        this.err = err;
        ShellCommands root = new ShellCommands();
        root.session = session;
        commands = new CommandLine(root, new Factory(session));
        // at the prompt, usage reads like the prompt ("Usage: lockscope> path FROM TO"), not the man page's name
        commands.setCommandName("lockscope>");
        commands.setOut(out);
        commands.setErr(err);
        commands.setExecutionExceptionHandler(new ErrorHandler());
        commands.setCaseInsensitiveEnumValuesAllowed(true);
        commands.setParameterExceptionHandler((ex, args) -> {
            boolean unknown = ex instanceof CommandLine.UnmatchedArgumentException && ex.getCommandLine().getParent() == null;
            err.println("lockscope: " + (unknown ? "unknown command: " + args[0] : ex.getMessage()) + hint(ex));
            err.flush();
            return ExitCode.USAGE;
        });
    }

    private static String hint(CommandLine.ParameterException ex) {
        CommandLine cl = ex.getCommandLine();
        return cl.getParent() == null ? " (help lists the commands)" : " (help " + cl.getCommandName() + ")";
    }

    /** Print each command's wall time on the error stream ({@code --timing}). */
    Shell timing(boolean on) {
        this.timing = on;
        return this;
    }

    /** Creates ClassNames candidates bound to the session; everything else as picocli would. */
    private record Factory(Session session) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == ClassNames.class) {
                return cls.cast(new ClassNames(session));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /**
     * The completer: picocli-shell-jline3's for commands and options (compiled here, as no
     * SystemRegistry does it), plus class names and other positional candidates.
     */
    Completer completer() {
        SystemCompleter c = new PicocliCommands(commands).compileCompleters();
        c.compile();
        return new AggregateCompleter(c, new PositionalCompleter(commands));
    }

    Parser parser() {
        return parser;
    }

    /**
     * Runs until quit, end of input, or (in a script) the first failure; returns the exit code.
     * A script is read from {@code script} (the terminal would echo it), an interactive session
     * from the terminal.
     */
    public int run(Path historyFile, InputStream script) throws IOException {
        return interactive ? interactive(historyFile) : script(script);
    }

    private int script(InputStream script) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(script, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int code = execute(line);
            if (code != ExitCode.OK || session.quitting()) {
                return code;
            }
        }
        return ExitCode.OK;
    }

    private int interactive(Path historyFile) {
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("lockscope")
                .completer(completer()).parser(parser)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.HISTORY_TIMESTAMPED, false)
                .option(LineReader.Option.HISTORY_REDUCE_BLANKS, true);
        if (historyFile != null) {
            History.dedupe(historyFile);
            b.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = b.build();
        try {
            while (!session.quitting()) {
                String line;
                try {
                    line = reader.readLine(session.window().isAll() ? "lockscope> " : "lockscope[filtered]> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                execute(line);
            }
        } finally {
            if (historyFile != null) {
                try {
                    reader.getHistory().save();
                } catch (IOException e) {
                    err.println("lockscope: " + historyFile + ": cannot save history: " + e.getMessage());
                }
                History.dedupe(historyFile);
            }
        }
        return ExitCode.OK;
    }

    /** One line: blank and {@code #} lines do nothing; Ctrl-C interrupts the command's thread. */
    int execute(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return ExitCode.OK;
        }
        List<String> words;
        try {
            words = parser.parse(trimmed, trimmed.length(), Parser.ParseContext.ACCEPT_LINE).words().stream()
                    .filter(w -> !w.isEmpty()).toList();
        } catch (EOFError e) {
            err.println("lockscope: " + e.getMessage() + ": " + trimmed);
            err.flush();
            return ExitCode.USAGE;
        }
        Thread worker = Thread.currentThread();
        Terminal.SignalHandler previous = interactive ? terminal.handle(Terminal.Signal.INT, s -> worker.interrupt()) : null;
        long t0 = System.nanoTime();
        long cpu0 = CPU.getCurrentThreadCpuTime();
        try {
            return commands.execute(words.toArray(String[]::new));
        } finally {
            if (timing) {
                err.printf(java.util.Locale.ROOT, "# %.1f ms (%.1f ms CPU): %s%n", (System.nanoTime() - t0) / 1e6,
                        (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6, trimmed);
            }
            if (interactive) {
                terminal.handle(Terminal.Signal.INT, previous);
            }
            Thread.interrupted();
            out.flush();
            err.flush();
        }
    }
}
