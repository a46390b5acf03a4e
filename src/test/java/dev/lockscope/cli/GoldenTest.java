package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Black-box CLI runs over golden folders: src/test/resources/golden/CASE/ holds {@code args}
 * (one argument per line), optionally {@code stdin} (a file to feed as standard input), and
 * the expected {@code out}, {@code err} and {@code exit}. Run with -Dlockscope.updateGolden=true
 * to rewrite the expectations after an intended change, then review the diff.
 */
public class GoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(GOLDEN)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** Runs lockscope in-process as Main does; returns {exit, out, err}. */
    public static String[] run(InputStream stdin, String... args) {
        return run(LockscopeCommand.commandLine(args), stdin, args);
    }

    /** Runs the given command line in-process; returns {exit, out, err}. */
    static String[] run(CommandLine cl, InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream saved = System.in;
        try {
            System.setIn(stdin);
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            int exit = cl.execute(args);
            return new String[] {String.valueOf(exit), out.toString(), err.toString()};
        } finally {
            System.setIn(saved);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) throws Exception {
        Path dir = GOLDEN.resolve(name);
        List<String> args = Files.readAllLines(dir.resolve("args"));
        InputStream stdin = new ByteArrayInputStream(new byte[0]);
        if (Files.exists(dir.resolve("stdin"))) {
            stdin = Files.newInputStream(Path.of(Files.readString(dir.resolve("stdin")).strip()));
        }
        String[] r = run(stdin, args.toArray(String[]::new));
        if (Boolean.getBoolean("lockscope.updateGolden")) {
            Files.writeString(dir.resolve("exit"), r[0] + "\n");
            Files.writeString(dir.resolve("out"), r[1]);
            Files.writeString(dir.resolve("err"), r[2]);
            return;
        }
        assertEquals(Files.readString(dir.resolve("exit")).strip(), r[0], name + ": exit code; stderr: " + r[2]);
        assertEquals(Files.readString(dir.resolve("out")), r[1], name + ": stdout");
        assertEquals(Files.readString(dir.resolve("err")), r[2], name + ": stderr");
    }
}
