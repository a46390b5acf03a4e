package dev.lockscope.cli;

import dev.lockscope.repl.ReplCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code lockscope <subcommand>}. */
@Command(name = "lockscope",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Lock-trace analyser: lockdep's dependency rules over captured kernel lock traces.",
            "",
            "Reads ordered lock events (ftrace lock:lock_acquire/lock_release/lock_contended/lock_acquired), "
                + "builds the class-level lock dependency graph as lockdep does, and reports every circular "
                + "dependency that can deadlock, recursive locking and bad unlocks, even when nothing deadlocked "
                + "during the capture."
        },
        subcommands = {AnalyzeCommand.class, StatsCommand.class, CompareCommand.class, CheckCommand.class, MergeCommand.class, ReplCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope analyze samples/traces/lockinv-mutex.trace",
            "  xzcat samples/traces/lockinv-mixed.trace.xz | lockscope analyze -",
            "  lockscope analyze --format json samples/traces/lockinv-rwsem.trace.gz > report.json",
        })
public final class LockscopeCommand implements Runnable {
    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: lockscope analyze FILE)");
    }

    /** The configured command line: user errors print a message, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LockscopeCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
