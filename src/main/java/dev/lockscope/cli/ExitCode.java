package dev.lockscope.cli;

/** lockscope's exit status; the same table is in every command's exitCodeList (--help, man page). */
public final class ExitCode {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int INPUT = 3;

    private ExitCode() {
    }
}
