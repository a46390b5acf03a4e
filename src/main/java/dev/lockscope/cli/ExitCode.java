package dev.lockscope.cli;

import picocli.CommandLine.Command;

/**
 * lockscope's exit status. Also a picocli mixin: every command mixes it in, so the one table
 * below is what --help and the man pages print.
 */
@Command(exitCodeListHeading = "%nExit Status%n",
        exitCodeList = {
            "0:success (findings do not change the status of analyze)",
            "1:internal error (a bug in lockscope: please report it with --verbose output)",
            "2:usage error (unknown option, bad argument, -o onto an existing file without --force)",
            "3:unreadable input (missing file, directory, no permission, corrupt compression, unrecognised format), "
                + "or a malformed line under --strict; a scenario with an error (file:line)",
            "4:check: findings of a --fail-on kind that are not in the baseline; simulate: the run deadlocked, "
                + "or --runs / --explore found a deadlock",
        })
public final class ExitCode {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int INPUT = 3;
    /** simulate: the run deadlocked. */
    public static final int DEADLOCK = 4;
    /** check: findings the baseline does not accept. */
    public static final int NEW_FINDINGS = 4;
}
