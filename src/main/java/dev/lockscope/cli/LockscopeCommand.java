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
            "Reads ordered lock events (ftrace lock:lock_acquire/lock_release/lock_contended/lock_acquired; "
                + "also trace-cmd report, perf script, CSV/TSV and STD), "
                + "builds the class-level lock dependency graph as lockdep does, and reports every circular "
                + "dependency that can deadlock, recursive locking and bad unlocks, even when nothing deadlocked "
                + "during the capture."
        },
        subcommands = {AnalyzeCommand.class, CheckCommand.class, StatsCommand.class, CompareCommand.class,
            MergeCommand.class, ConvertCommand.class, SimulateCommand.class, ReplCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope analyze samples/traces/lockinv-mutex.trace",
            "  xzcat samples/traces/lockinv-mixed.trace.xz | lockscope analyze -",
            "  lockscope analyze --format json samples/traces/lockinv-rwsem.trace.gz > report.json",
            "  lockscope analyze samples/csv/wiphy-rtnl.csv",
            "  lockscope convert --to ftrace samples/perf/fbcon-drm.perf",
            "  lockscope simulate samples/scenarios/bcachefs-dio-self.scn --seed 1 | lockscope analyze -",
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
