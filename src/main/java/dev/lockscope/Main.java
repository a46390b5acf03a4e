package dev.lockscope;

import dev.lockscope.cli.LockscopeCommand;

/** Entry point: the only System.exit in lockscope. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(LockscopeCommand.commandLine(args).execute(args));
    }
}
