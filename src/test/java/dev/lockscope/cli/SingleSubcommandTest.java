package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A run whose first argument names a subcommand builds only that subcommand (a faster cold
 * start). It must behave as the whole command tree does: the same help, the same usage
 * errors and the same exit codes, for every subcommand but help and completion (which need
 * the tree and get it).
 */
class SingleSubcommandTest {

    static Stream<String> subcommands() {
        return LockscopeCommand.commandLine().getSubcommands().keySet().stream()
                .filter(n -> !n.equals("help") && !n.equals("completion")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subcommands")
    void aloneBehavesAsInTheWholeTree(String name) {
        CommandLine alone = LockscopeCommand.commandLine(name);
        assertEquals(List.of(name), List.copyOf(alone.getSubcommands().keySet()), "only " + name + " is built");
        assertEquals("lockscope " + name, alone.getSubcommands().get(name).getCommandSpec().qualifiedName());
        for (List<String> args : List.of(List.of(name, "--help"), List.of(name, "--no-such-option"), List.of(name),
                List.of(name, "--version"), List.of(name, "-h", "extra"))) {
            String[] a = args.toArray(String[]::new);
            CommandLine whole = LockscopeCommand.commandLine();
            CommandLine single = LockscopeCommand.commandLine(a);
            assertNotEquals(whole.getSubcommands().size(), single.getSubcommands().size(), "the single path was taken");
            assertArrayEquals(run(whole, a), run(single, a), String.join(" ", args));
        }
    }

    private static String[] run(CommandLine cl, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(new byte[0])); // repl without a trace reads a script
            int exit = cl.execute(args);
            return new String[] {String.valueOf(exit), out.toString(), err.toString()};
        } finally {
            System.setIn(saved);
        }
    }
}
