package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
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
            // repl without a trace reads a script from standard input: give it an empty one
            assertArrayEquals(GoldenTest.run(whole, new ByteArrayInputStream(new byte[0]), a),
                    GoldenTest.run(single, new ByteArrayInputStream(new byte[0]), a), String.join(" ", args));
        }
    }
}
