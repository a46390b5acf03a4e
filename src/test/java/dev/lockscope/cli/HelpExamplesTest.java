package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every example in every command's help footer (and so in the man pages) runs against
 * samples/ and succeeds. "xzcat F | lockscope ..." feeds F as standard input (lockscope
 * recognises xz itself), "lockscope simulate ... | lockscope ..." feeds the simulated trace;
 * "> FILE" is dropped (the output is checked here instead).
 */
class HelpExamplesTest {

    static Stream<String> examples() {
        List<String> all = new ArrayList<>();
        CommandLine root = LockscopeCommand.commandLine();
        collect(root, all);
        return all.stream().distinct();
    }

    private static void collect(CommandLine cl, List<String> out) {
        for (String line : cl.getCommandSpec().usageMessage().footer()) {
            if (line.strip().startsWith("lockscope") || line.contains("| lockscope")) {
                out.add(line.strip());
            }
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleRuns(String example) throws Exception {
        InputStream stdin = new ByteArrayInputStream(new byte[0]);
        String cmd = example;
        int pipe = cmd.indexOf('|');
        if (pipe >= 0) {
            String producer = cmd.substring(0, pipe).strip();
            if (producer.startsWith("printf '") || producer.startsWith("echo '")) {
                // a repl script: printf's \n are newlines, echo adds one
                String text = producer.substring(producer.indexOf('\'') + 1, producer.lastIndexOf('\''));
                text = producer.startsWith("echo") ? text + "\n" : text.replace("\\n", "\n");
                stdin = new ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (producer.startsWith("lockscope ")) { // lockscope simulate ... | lockscope analyze -
                String[] words = producer.split("\\s+");
                String[] p = GoldenTest.run(stdin, Arrays.copyOfRange(words, 1, words.length));
                assertEquals("0", p[0], example + "\n" + p[2]);
                stdin = new ByteArrayInputStream(p[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                String[] words = producer.split("\\s+");
                stdin = Files.newInputStream(Path.of(words[words.length - 1]));
            }
            cmd = cmd.substring(pipe + 1).strip();
        }
        int redirect = cmd.indexOf('>');
        if (redirect >= 0) {
            cmd = cmd.substring(0, redirect).strip();
        }
        List<String> args = new ArrayList<>(Arrays.asList(cmd.split("\\s+")));
        boolean repl = args.get(1).equals("repl");
        assertEquals("lockscope", args.remove(0));
        args.replaceAll(a -> a.startsWith("'") && a.endsWith("'") ? a.substring(1, a.length() - 1) : a);
        String[] r = GoldenTest.run(stdin, args.toArray(String[]::new));
        if (args.get(0).equals("simulate")) {
            // a simulation either ends (0) or deadlocks (4, and says so): never a usage or input error
            assertTrue(r[0].equals("0") ? r[2].isEmpty() : r[0].equals("4") && (r[1] + r[2]).contains("deadlock"), example + "\n" + r[2]);
            assertTrue(!r[1].isEmpty(), example);
            return;
        }
        assertEquals("0", r[0], example + "\n" + r[2]);
        if (args.get(0).equals("convert")) {
            // a conversion's output reads back as a trace with the same single inversion
            String[] back = GoldenTest.run(new ByteArrayInputStream(r[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "analyze", "-");
            assertEquals("0", back[0], back[2]);
            assertTrue(back[1].contains("circular dependenc") && !back[1].contains("0 circular dependencies"), back[1]);
            return;
        }
        if (repl) {
            assertTrue(r[1].contains("1 cycle (1 deadlock)"), r[1]);
        } else if (args.get(0).equals("analyze")) {
            assertTrue(r[1].contains("1 circular dependency (1 deadlock)") || r[1].contains("\"deadlocks\": 1")
                    || r[1].contains("[ label=\"EN 1\" color=\"red\" penwidth=\"2\" ]"), r[1]);
        } else {
            assertTrue(r[1].lines().count() > 3, r[1]);
        }
    }
}
