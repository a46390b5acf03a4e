package dev.lockscope.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Turns exceptions into messages and exit codes; a stack trace only with --verbose. */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof UserError u) {
            err.println("lockscope: " + u.getMessage());
            err.flush();
            return u.exitCode();
        }
        err.println("lockscope: internal error: " + ex);
        if (parsed != null && verbose(parsed)) {
            ex.printStackTrace(err);
        } else {
            err.println("lockscope: run with --verbose for the stack trace, and please report it");
        }
        err.flush();
        return ExitCode.INTERNAL;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
