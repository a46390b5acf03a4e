package dev.lockscope.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ftrace reader reads a line at the columns the previous line taught it (guided reading,
 * the fast path) and falls back to the general parse when any byte differs. Guided reading
 * must never change a result: every input here is read both ways and must give the same events
 * (task, cpu, context, time, line, address, class), the same rejections and the same counts.
 */
class GuidedReadingTest {

    /** Lines in the standard layout: they teach the columns. */
    private static final String TEACH = """
                       init-1     [000] ...1.   366.321614: lock_acquire: ffffa3fa813600d8 &newf->file_lock
                       init-1     [000] ...1.   366.321618: lock_release: ffffa3fa813600d8 &newf->file_lock
            """;

    /** Lines that look like the layout but are not: each must take the general parse's verdict. */
    private static final List<String> NEAR_MISSES = List.of(
            "                init-1     [000] ...1.   366.321620: lock_acquire: ffffa3fa813600d8 read &newf->file_lock",
            "                init-1     [000] d.h1.   366.321620: lock_acquire: ffffa3fa813600d8 try &newf->file_lock",
            "   a-very-long-comm-name-2     [001] ...1.   366.321621: lock_acquire: ffff000000000001 a",
            "                init-12345678 [000] ...1.   366.321622: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321623456: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.  1366.321624: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1. 100366.321625: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.    366.32162: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.   366x321626: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.   3x6.321627: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.  x366.321628: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.   366.3216a9: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321630:lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321631:",
            "                init-1     [000] ...1.   366.321632: ",
            "                init-1     [000] ...1 .  366.321633: lock_acquire: ffff000000000001 a",
            "                init-1     [000]  ..1.   366.321634: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1    366.321635: lock_acquire: ffff000000000001 a",
            "                init-1     [000] q..1.   366.321636: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ..q1.   366.321637: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.x  366.321638: lock_acquire: ffff000000000001 a",
            "                init-1     [00a] ...1.   366.321639: lock_acquire: ffff000000000001 a",
            "                init-1     (0000] ...1.   366.321640: lock_acquire: ffff000000000001 a",
            "                init-1     [0000 ...1.   366.321641: lock_acquire: ffff000000000001 a",
            "                init 1     [000] ...1.   366.321642: lock_acquire: ffff000000000001 a",
            "                init-      [000] ...1.   366.321643: lock_acquire: ffff000000000001 a",
            "                -1234567890[000] ...1.   366.321644: lock_acquire: ffff000000000001 a",
            "           trace-cmd-16129 (  16120) [002] ...1.   366.321645: lock_release: ffff000000000001 a",
            "                init-1 [000] ...1.   366.321646: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1. 9999999999.321647: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1. 99999999999.321648: lock_acquire: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321649: lock_acquire: (____ptrval____) a",
            "                init-1     [000] ...1.   366.321650: lock_acquire: ffffg00000000001 a",
            "                init-1     [000] ...1.   366.321651: lock_acquired: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321652: lock_contended: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321653: lock_acquire_x: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321654: lock_acquir: ffff000000000001 a",
            "                init-1     [000] ...1.   366.321655: sched_switch: prev_comm=a prev_pid=1",
            "                init-1     [000] ...1.   366.321656: <stack trace>",
            "CPU:0 [LOST 3 EVENTS]",
            "                init-1     [000] ...1.   366.321657: lock_release: ffff000000000001 a",
            "          <idle>-0     [002]  23636.756054: lock_release: ffff888100000001 &rq->__lock",
            "          <idle>-0     [001] d.s3 20803.501685: lock_acquire: 0000000008b91ab4 &sg_policy->update_lock");

    @Test
    void nearMissesReadAsTheGeneralParseReadsThem() {
        StringBuilder in = new StringBuilder();
        for (String miss : NEAR_MISSES) {
            in.append(TEACH).append(miss).append('\n');
        }
        assertSame(in.toString().getBytes(StandardCharsets.UTF_8), "near misses");
    }

    /**
     * Every single-byte change of a taught line, each read right after the teaching lines (which
     * teach the columns, the CPU's comm-pid, flags, seconds and address, so the change meets the
     * whole-line fast path first).
     */
    @Test
    void everySingleByteChangeOfTheLineReadsAsTheGeneralParseReadsIt() {
        String line = TEACH.lines().findFirst().orElseThrow();
        int header = line.length();
        String swaps = " -09afx.:[]()dDbhsHzZ\t\r\n";
        StringBuilder in = new StringBuilder();
        int blocks = 0;
        for (int i = 0; i < header; i++) {
            for (char c : swaps.toCharArray()) {
                if (line.charAt(i) != c) {
                    blocks++;
                    in.append(TEACH).append(line, 0, i).append(c).append(line, i + 1, line.length()).append('\n');
                }
            }
        }
        // a pid of ten digits where the taught line has its pid and padding
        int dash = line.indexOf("-1 ");
        in.append(TEACH).append(line, 0, dash - 9).append("-1234567890").append(line, dash + 2, line.length()).append('\n');
        Reading guided = assertSame(in.toString().getBytes(StandardCharsets.UTF_8), "single-byte changes");
        assertTrue(guided.wholeLines >= blocks, "lines read whole: " + guided.wholeLines + " in " + blocks + " blocks");
    }

    /**
     * The fast path takes the class an address was last read with when exactly its name and the
     * newline follow the address. Names that differ from it in length, end in spaces or carriage
     * returns, or were themselves read from a line ending in two carriage returns (the general
     * parse strips one, so that name ends in '\r') must read as the general parse reads them.
     */
    @Test
    void namesAfterARememberedAddressReadAsTheGeneralParseReadsThem() {
        String taught = TEACH.lines().findFirst().orElseThrow();
        String release = taught.replace("lock_acquire", "lock_release");
        String[] endings = {"", "k", "_x", " ", "  ", "\t", "\r", "\r\r", " \r", "\r ", "\r\r\r"};
        StringBuilder in = new StringBuilder();
        for (String taughtEnd : endings) {
            for (String end : endings) {
                in.append(TEACH).append(taught).append(taughtEnd).append('\n');
                in.append(release).append(end).append('\n');
                in.append(release, 0, release.length() - 1).append(end).append('\n');
            }
        }
        Reading guided = compare(in.toString().getBytes(StandardCharsets.UTF_8), "names after a remembered address");
        assertTrue(guided.wholeLines > endings.length * endings.length * 2L, "lines read whole: " + guided.wholeLines);
    }

    /**
     * A CPU's line whose bytes before [cpu] repeat its previous line's reuses that task, but only
     * while no other line changed the tasks: here pid 5 is renamed on CPU 1 in between, and the
     * repeated CPU 0 line must rename it back, as the general parse does.
     */
    @Test
    void repeatedPrefixesFollowCommChangesMadeOnOtherCpus() {
        String taught = TEACH.lines().findFirst().orElseThrow();
        String foo = taught.replace("init-1", " foo-5");
        String bar = taught.replace("init-1", " bar-5").replace("[000]", "[001]");
        String in = TEACH + foo + "\n" + bar + "\n" + foo.replace("lock_acquire", "lock_release") + "\n";
        byte[] input = in.getBytes(StandardCharsets.UTF_8);
        assertSame(input, "comm changes");
        Tasks tasks = new Tasks();
        ByteSymbols classes = new ByteSymbols();
        FtraceReader reader = new FtraceReader("t", tasks, classes, new FtraceReaderTest.Recorder(tasks, classes),
                new ReadStats(), (s, l, why) -> { });
        try {
            reader.read(new java.io.ByteArrayInputStream(input));
        } catch (IOException | TraceFormatException | InputProblem e) {
            throw new AssertionError(e);
        }
        assertEquals(4, reader.guidedLines);
        assertEquals(2, tasks.size());
        int t = tasks.pid(0) == 5 ? 0 : 1;
        assertEquals(5, tasks.pid(t));
        assertEquals("foo", tasks.comm(t), "the last line renamed pid 5 back");
    }

    /** The six fraction digits read as one word: every value, and a non-digit at every place. */
    @Test
    void sixDigitsReadAsOneWordAgreeWithTheDigits() {
        byte[] b = new byte[8];
        b[6] = ':';
        b[7] = ' ';
        for (int v = 0; v < 1_000_000; v += 7) {
            byte[] d = String.format(java.util.Locale.ROOT, "%06d", v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(d, 0, b, 0, 6);
            assertEquals(v, FtraceReader.sixDigits(b, 0));
        }
        for (int i = 0; i < 6; i++) {
            for (int c = 0; c < 256; c++) {
                System.arraycopy("123456".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 6);
                b[i] = (byte) c;
                long expected = c >= '0' && c <= '9' ? Long.parseLong(new String(b, 0, 6, StandardCharsets.ISO_8859_1)) : -1;
                assertEquals(expected, FtraceReader.sixDigits(b, 0), "byte " + c + " at " + i);
            }
        }
    }

    @Test
    void everyLayoutTeachesItsOwnColumns() {
        // each line below is the first of a run of lines in its own layout
        StringBuilder in = new StringBuilder();
        for (String miss : NEAR_MISSES) {
            in.append(miss).append('\n').append(miss).append('\n').append(TEACH);
        }
        assertSame(in.toString().getBytes(StandardCharsets.UTF_8), "runs");
    }

    @Test
    void corruptInputsReadTheSameBothWays() {
        for (long seed = 1; seed <= 300; seed++) {
            byte[] input = new Fuzz(seed, false).input(TraceFormat.FTRACE);
            byte[] taught = (TEACH + new String(input, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1);
            compare(taught, "fuzz seed " + seed);
        }
    }

    @Test
    void bundledTracesReadTheSameBothWays() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("samples/traces"))) {
            s.sorted().forEach(files::add);
        }
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/traces"))) {
            s.filter(p -> p.toString().endsWith(".trace")).sorted().forEach(files::add);
        }
        long guided = 0;
        long whole = 0;
        for (Path f : files) {
            Reading r = compare(bytes(f), f.toString());
            guided += r.guidedLines;
            whole += r.wholeLines;
        }
        assertTrue(guided > 10_000, "guided reading was used: " + guided);
        assertTrue(2 * whole > guided, "most guided lines were read whole: " + whole + " of " + guided);
    }

    /** The real captures (skipped without ../shared): hundreds of thousands of lines of a 6.1 kernel. */
    @Test
    void kernelCapturesReadTheSameBothWays() throws IOException {
        Path dir = Path.of("../shared/traces/kernel-6.1");
        Assumptions.assumeTrue(Files.isDirectory(dir), "../shared/traces is not here");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> p.toString().endsWith(".trace.xz")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 5, "captures: " + files);
        for (Path f : files) {
            Reading r = compare(bytes(f), f.toString());
            assertTrue(r.guidedLines > 0, f + ": guided reading was used");
            assertTrue(2 * r.wholeLines > r.guidedLines, f + ": most guided lines were read whole: " + r.wholeLines);
        }
    }

    private static byte[] bytes(Path f) {
        try (InputStream in = TraceSource.of(f.toString()).open(InputStream.nullInputStream())) {
            return in.readAllBytes();
        } catch (IOException | InputProblem e) {
            throw new UncheckedIOException(new IOException(f + ": " + e.getMessage(), e));
        }
    }

    private static Reading assertSame(byte[] input, String what) {
        Reading guided = compare(input, what);
        assertTrue(guided.guidedLines > 0, what + ": guided reading was used");
        return guided;
    }

    /** Reads input both ways, asserts the same results, returns the guided reading. */
    private static Reading compare(byte[] input, String what) {
        Reading general = read(input, false);
        Reading guided = read(input, true);
        assertEquals(0, general.guidedLines, what);
        assertEquals(general.text(), guided.text(), what);
        return guided;
    }

    private record Reading(List<String> events, List<String> problems, ReadStats stats, long guidedLines,
                           long wholeLines) {
        String text() {
            return String.join("\n", events) + "\n--\n" + String.join("\n", problems) + "\n--\n" + stats.lines
                    + " lines, " + stats.lockEvents + " lock events, malformed " + stats.malformedByReason()
                    + ", skipped " + stats.skippedByReason() + ", other " + stats.otherEvents();
        }
    }

    private static Reading read(byte[] input, boolean guided) {
        Tasks tasks = new Tasks();
        ByteSymbols classes = new ByteSymbols();
        FtraceReaderTest.Recorder r = new FtraceReaderTest.Recorder(tasks, classes);
        ReadStats stats = new ReadStats();
        List<String> problems = new ArrayList<>();
        FtraceReader reader = new FtraceReader("t", tasks, classes, r, stats,
                (s, l, why) -> problems.add(s + ":" + l + ": " + why));
        if (!guided) {
            reader.generalOnly();
        }
        try {
            reader.read(new ByteArrayInputStream(input));
        } catch (TraceFormatException | InputProblem e) {
            problems.add("fatal: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reading(r.events, problems, stats, reader.guidedLines, reader.wholeLines);
    }
}
