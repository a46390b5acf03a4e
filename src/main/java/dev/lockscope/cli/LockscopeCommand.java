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

    /** The configured command line with every subcommand: user errors print a message, not a stack trace. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new LockscopeCommand()));
    }

    /**
     * The command line for a run with these arguments. picocli builds the model of every
     * subcommand the root names, eagerly and by reflection: about 0.2 s of a cold start on one
     * core. A run whose first argument names a subcommand builds the root without inspecting it
     * and that one subcommand only, which parses, prints usage and errors, and exits the same
     * (GoldenTest runs every case this way; SingleSubcommandTest compares help, usage errors
     * and exit codes both ways). {@code help} and {@code completion} need the whole tree.
     */
    public static CommandLine commandLine(String... args) {
        Object alone = args.length == 0 ? null : switch (args[0]) {
            case "analyze" -> new AnalyzeCommand();
            case "check" -> new CheckCommand();
            case "stats" -> new StatsCommand();
            case "compare" -> new CompareCommand();
            case "merge" -> new MergeCommand();
            case "convert" -> new ConvertCommand();
            case "simulate" -> new SimulateCommand();
            case "repl" -> new ReplCommand();
            default -> null;
        };
        if (alone == null) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(CommandLine.Model.CommandSpec.wrapWithoutInspection(new LockscopeCommand())
                .name("lockscope"));
        cl.addSubcommand(alone);
        return configure(cl);
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
