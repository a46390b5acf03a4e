package dev.lockscope.cli;

/** lockscope's exit status, listed in --help and the man page. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int INPUT = 3;

    /** The {@code exitCodeList} of every command. */
    public static final String[] LIST = {
        "0:success (findings do not change the status of analyze)",
        "1:internal error (a bug in lockscope: please report it with --verbose output)",
        "2:usage error (unknown option, bad argument)",
        "3:unreadable input (missing file, directory, no permission, corrupt compression), or a malformed line under --strict",
    };

    private ExitCode() {
    }
}
