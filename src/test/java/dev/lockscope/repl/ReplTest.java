package dev.lockscope.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.cli.GoldenTest;
import dev.lockscope.graph.ClassRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The repl as a user drives it: scripts on standard input (every command, exit codes), and an
 * interactive session over a dumb JLine terminal on pipes (errors do not end it, history,
 * TAB completion of class names with {@code &}, {@code ->} and {@code #}).
 */
class ReplTest {
    static final String MUTEX = "samples/traces/lockinv-mutex.trace";
    static final String RWSEM = "samples/traces/lockinv-rwsem.trace.gz";

    @TempDir
    Path tmp;

    private static String[] script(String commands, String... args) {
        List<String> a = new ArrayList<>(List.of("repl"));
        a.addAll(List.of(args));
        return GoldenTest.run(new ByteArrayInputStream(commands.getBytes(StandardCharsets.UTF_8)), a.toArray(String[]::new));
    }

    @Test
    void scriptAnswersEveryQuery() {
        String[] r = script("""
                # the cycle and its report
                cycles
                cycles --feasible
                explain 1
                classes lockinv*
                deps lockinv_mutex_a
                rdeps lockinv_mutex_a
                path lockinv_mutex_a lockinv_mutex_b
                path lockinv_mutex_b '&rq->__lock'
                path '&rq->__lock' lockinv_mutex_a
                why lockinv_mutex_b lockinv_mutex_a
                chains lockinv_mutex_b
                hot 2
                stats
                help path
                quit
                cycles
                """, MUTEX);
        assertEquals("0", r[0], r[2]);
        assertEquals("", r[2]);
        String out = r[1];
        assertTrue(out.startsWith("loading " + MUTEX + "\n3789 lock events, 41 classes, 40 dependencies, 77 chains, "
                + "1 cycle (1 deadlock)\n"), out);
        assertTrue(out.contains("#1   deadlock     2 classes: lockinv_mutex_a -> lockinv_mutex_b -> lockinv_mutex_a\n"
                + "1 of 1 cycle\n#1   deadlock"), out);
        assertTrue(out.contains("WARNING: possible circular locking dependency detected\nlockscope cycle #1 of 1"), out);
        assertTrue(out.contains("           2 acquired    7 out    1 in  lockinv_mutex_a\n"
                + "           2 acquired    4 out    1 in  lockinv_mutex_b\n2 classes\n"), out);
        assertTrue(out.contains("lockinv_mutex_a: 7 dependencies (locks taken while holding it)\n"
                + "  -> &base->lock  EN, exercised 2, distance 1; first lockinv/mutex_b-173 [001] 7.075426: line 3631\n"), out);
        assertTrue(out.contains("lockinv_mutex_a: 1 reverse dependency (locks held while taking it)\n"
                + "  <- lockinv_mutex_b  EN, exercised 1, distance 1; first lockinv/mutex_b-173 [001] 7.065071: line 2143\n"), out);
        assertTrue(out.contains("lockinv_mutex_a -> lockinv_mutex_b (1 edge)\n"
                + "       lockinv_mutex_a -> lockinv_mutex_b: EN, exercised 1 time\n"
                + "       first: lockinv/mutex_a-172 [000] 7.033056: line 389\n"
                + "        #0: ffffffffc01d93f0 (lockinv_mutex_a), at: line 365\n"), out);
        assertTrue(out.contains("lockinv_mutex_b -> &rq->__lock (1 edge)\n"), out);
        assertTrue(out.contains("no dependency chain from &rq->__lock to lockinv_mutex_a\n"), out);
        assertTrue(out.contains("lockinv_mutex_b -> lockinv_mutex_a: EN, exercised 1 time, distance 1\n"
                + "witnesses: the first of each task, 1 task\n"
                + "       #1: lockinv/mutex_b-173 [001] 7.065071: line 2143\n"
                + "        #0: ffffffffc01d9350 (lockinv_mutex_b), at: line 2139\n"), out);
        assertTrue(out.contains("chain #70 irq_context: process, 3 locks, 181 hits\n  lockinv_mutex_b\n  lockinv_mutex_a\n"
                + "  (console_sem).lock\n"), out);
        assertTrue(out.contains("\n14 chains\n"), out);
        assertTrue(out.contains("          182  lockinv_mutex_a -> (console_sem).lock  EN\n"
                + "           66  console_lock -> console_owner  EN\n"), out);
        assertTrue(out.contains("lockscope statistics (cf. /proc/lockdep_stats):"), out);
        assertTrue(out.contains(" acquisitions answered by the cache:"), out);
        assertTrue(out.contains("most acquired classes (acquisitions, cf. lock_stat):\n          266  tk_core.seq.seqcount\n"), out);
        assertTrue(out.contains("Usage: lockscope> path FROM TO\nThe shortest dependency chain"), out);
        assertEquals(3, out.split("1 of 1 cycle\n", -1).length, "cycles after quit must not run: " + out);
    }

    @Test
    void whyListsTheFirstWitnessOfEachTask() {
        // console_lock -> console_owner is exercised by both lockinv tasks and others
        String[] r = script("why console_lock console_owner\n", MUTEX);
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("console_lock -> console_owner: EN, exercised 66 times, distance 1\n"), out);
        int tasks = Integer.parseInt(out.replaceAll("(?s).*witnesses: the first of each task, (\\d+) tasks?.*", "$1"));
        assertTrue(tasks >= 2, out);
        assertEquals(tasks, out.split("\n       #\\d+: ", -1).length - 1, out);
    }

    @Test
    void filterReanalysesAWindowAndUnfilterRestores() {
        String[] r = script("""
                filter task=lockinv/mutex_a*
                cycles
                deps lockinv_mutex_a
                filter time=..7.05
                unfilter
                cycles --feasible
                filter cpu=0,1 time=7.0..
                """, MUTEX);
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("loading " + MUTEX + " (task=lockinv/mutex_a*)\n259 lock events, 41 classes, 23 dependencies, "
                + "37 chains, 0 cycles (0 deadlocks)\n0 of 0 cycles\n"), out);
        assertFalse(out.contains("-> &base->lock  EN, exercised 2"), "the other task's edges are gone: " + out);
        assertTrue(out.contains("loading " + MUTEX + " (time=..7.05)\n"), out);
        assertTrue(out.contains("loading " + MUTEX + "\n3789 lock events"), out);
        assertTrue(out.contains("loading " + MUTEX + " (cpu=0,1 time=7..)\n"), out);
    }

    @Test
    void scriptStopsAtTheFirstFailingCommandWithItsCode() {
        String[] r = script("cycles\nexplain 7\nhot 1\n", MUTEX);
        assertEquals("2", r[0]);
        assertEquals("lockscope: no cycle #7 (cycles lists #1 to #1)\n", r[2]);
        assertFalse(r[1].contains("182  lockinv_mutex_a"), "hot must not run: " + r[1]);

        r = script("deps '&no->such'\n", MUTEX);
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("lockscope: no lock class &no->such in " + MUTEX), r[2]);

        r = script("frobnicate\n", MUTEX);
        assertEquals("2", r[0]);
        assertEquals("lockscope: unknown command: frobnicate (help lists the commands)\n", r[2]);

        r = script("why '&rq->__lock' lockinv_mutex_a\n", MUTEX);
        assertEquals("lockscope: no direct dependency &rq->__lock -> lockinv_mutex_a (path FROM TO finds an indirect one)\n", r[2]);

        r = script("load no/such.trace\n", MUTEX);
        assertEquals("3", r[0]);
        assertTrue(r[2].startsWith("lockscope: no/such.trace: "), r[2]);

        r = script("cycles\n");
        assertEquals("2", r[0]);
        assertEquals("lockscope: no trace loaded (load FILE...)\n", r[2]);

        r = script("", "no/such.trace");
        assertEquals("3", r[0]);
    }

    @Test
    void loadReplacesTheGraph() {
        String[] r = script("load " + RWSEM + "\ncycles\n", MUTEX);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("loading " + RWSEM + "\n"), r[1]);
        assertTrue(r[1].contains("lockinv_rwsem_"), r[1]);
    }

    @Test
    void exportNeverOverwritesWithoutForce() throws Exception {
        Path dot = tmp.resolve("g.dot");
        Path json = tmp.resolve("r.json");
        String[] r = script("export dot " + dot + "\nexport json " + json + "\n", MUTEX);
        assertEquals("0", r[0], r[2]);
        String g = Files.readString(dot);
        assertTrue(g.startsWith("strict digraph lockscope {\n"), g);
        assertTrue(g.contains("  \"lockinv_mutex_a\" -> \"lockinv_mutex_b\" [ label=\"EN 1\" color=\"red\" penwidth=\"2\" ];\n"), g);
        assertTrue(Files.readString(json).contains("\"deadlocks\": 1"));

        Files.writeString(dot, "mine\n");
        r = script("export dot " + dot + "\n", MUTEX);
        assertEquals("2", r[0]);
        assertEquals("lockscope: " + dot + ": exists; use --force to replace it\n", r[2]);
        assertEquals("mine\n", Files.readString(dot));
        r = script("export dot --force " + dot + "\n", MUTEX);
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.readString(dot).startsWith("strict digraph"));
    }

    @Test
    void historyLivesInTheXdgStateDirectory() {
        assertEquals(Path.of("/s/lockscope/history"), History.defaultFile(java.util.Map.of("XDG_STATE_HOME", "/s", "HOME", "/h")));
        assertEquals(Path.of("/h/.local/state/lockscope/history"), History.defaultFile(java.util.Map.of("HOME", "/h")));
        // the XDG spec: a relative path is invalid and ignored
        assertEquals(Path.of("/h/.local/state/lockscope/history"),
                History.defaultFile(java.util.Map.of("XDG_STATE_HOME", "rel", "HOME", "/h")));
        assertEquals(null, History.defaultFile(java.util.Map.of()));
    }

    // ------------------------------------------------------------------ interactive, over a dumb terminal

    private static Terminal dumb(String input, ByteArrayOutputStream out) throws Exception {
        return TerminalBuilder.builder().dumb(true).streams(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out).build();
    }

    private static ReplCommand command(String... args) {
        ReplCommand cmd = new ReplCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void anErrorDoesNotEndAnInteractiveSession() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path history = tmp.resolve("state/lockscope/history");
        int exit;
        try (Terminal t = dumb("explain 9\ncycles\ncycles\nhot 1\ncycles\n", bytes)) {
            exit = command(MUTEX).run(t, t.writer(), t.writer(), history, null);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, out);
        int err = out.indexOf("lockscope: no cycle #9 (cycles lists #1 to #1)");
        int after = out.indexOf("1 of 1 cycle");
        assertTrue(err > 0 && after > err, out);
        assertTrue(out.contains("lockscope> "), out);
        assertTrue(out.contains("182  lockinv_mutex_a -> (console_sem).lock"), out);
        // each command once, in order of last use
        assertEquals(List.of("explain 9", "hot 1", "cycles"), Files.readAllLines(history));
    }

    @Test
    void tabCompletesClassNamesWithAmpersandArrowAndHash() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Terminal t = dumb("", bytes)) {
            PrintWriter w = new PrintWriter(new StringWriter());
            Session s = new Session(() -> new TraceAnalysis(ClassRules.defaults(), 100, (f, l, m) -> { }, InputStream.nullInputStream()),
                    w, false);
            s.load(List.of(MUTEX));
            Shell shell = new Shell(t, s, w, w);
            LineReader reader = LineReaderBuilder.builder().terminal(t).parser(shell.parser()).build();
            assertEquals(List.of("&p->alloc_lock", "&p->pi_lock"), complete(shell, reader, "deps &p-"));
            assertEquals(List.of("&p->alloc_lock", "&p->pi_lock"), complete(shell, reader, "path lockinv_mutex_a '&p->"));
            assertEquals(List.of("&sig->wait_chldexit", "&sighand->siglock"), complete(shell, reader, "why x &si"));
            assertEquals(List.of("deps"), complete(shell, reader, "dep"));
            assertEquals(List.of("--feasible"), complete(shell, reader, "cycles --f"));

            Session hashes = new Session(() -> new TraceAnalysis(ClassRules.defaults(), 100, (f, l, m) -> { },
                    InputStream.nullInputStream()), w, false);
            hashes.load(List.of("src/test/resources/traces/names.trace"));
            Shell shell2 = new Shell(t, hashes, w, w);
            assertEquals(List.of("&sb->s_type->i_lock_key#22"), complete(shell2, reader, "rdeps &sb->s_type->i"));
            assertEquals(List.of("(wq_completion)kblockd/0"), complete(shell2, reader, "deps '(wq"));
            assertEquals(List.of("&sb->s_type->i_lock_key#22", "&type->i_mutex_dir_key#3", "(wq_completion)kblockd/0"),
                    complete(shell2, reader, "path &type->i_mutex_dir_key#3 "));
        }
    }

    private static List<String> complete(Shell shell, LineReader reader, String line) {
        List<Candidate> cs = new ArrayList<>();
        // as LineReader does on TAB: the COMPLETE context keeps an empty word after a trailing space
        org.jline.reader.ParsedLine parsed = shell.parser().parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE);
        shell.completer().complete(reader, parsed, cs);
        String word = parsed.word();
        return cs.stream().map(Candidate::value).filter(v -> v.startsWith(word)).distinct().sorted().toList();
    }
}
