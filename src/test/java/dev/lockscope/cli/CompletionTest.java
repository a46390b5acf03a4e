package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lockscope completion: a script bash accepts and that completes commands and option values. */
class CompletionTest {

    private static String script(String shell) {
        String[] r = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "completion", shell);
        assertEquals("0", r[0], r[2]);
        return r[1];
    }

    @Test
    void bothShellsGetTheScript() {
        String bash = script("bash");
        assertTrue(bash.contains("complete -F _complete_lockscope"), bash);
        assertTrue(bash.contains("ZSH_VERSION"), "the script sets itself up under zsh too");
        assertEquals(bash, script("zsh"));
        assertEquals("2", GoldenTest.run(new ByteArrayInputStream(new byte[0]), "completion", "fish")[0]);
    }

    /** Runs the script in bash and completes {@code words}; the last word is the one being completed. */
    private static String complete(Path dir, String... words) throws Exception {
        Path f = dir.resolve("c.bash");
        Files.writeString(f, script("bash"));
        StringBuilder arr = new StringBuilder();
        for (String w : words) {
            arr.append('\'').append(w).append("' ");
        }
        String cmd = "source " + f + " 2>/dev/null; COMP_WORDS=(" + arr + "); COMP_CWORD=" + (words.length - 1)
                + "; _complete_lockscope 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void bashCompletesSubcommandsAndValues(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash");
        assertEquals("check", complete(dir, "lockscope", "ch"));
        assertEquals("text json junit", complete(dir, "lockscope", "check", "--format", ""));
        assertEquals("all cycles", complete(dir, "lockscope", "analyze", "--dot", ""));
        assertEquals("bash zsh", complete(dir, "lockscope", "completion", ""));
    }
}
