package dev.lockscope.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.TraceRun;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lockscope convert: every format to CSV and back to ftrace-like text loses nothing the engine uses. */
class ConvertRoundTripTest {
    @TempDir
    Path tmp;

    private String convert(Path in, TraceWriter.Target to) throws Exception {
        StringWriter out = new StringWriter();
        List<String> problems = new ArrayList<>();
        TraceConversion.run(List.of(TraceSource.of(in.toString())), null, to, out, (s, l, r) -> problems.add(l + ": " + r),
                new ByteArrayInputStream(new byte[0]));
        assertEquals(List.of(), problems);
        return out.toString();
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** ftrace -> CSV -> ftrace -> CSV: the two CSVs are the same bytes, and all three give the same graph and cycles. */
    @Test
    void ftraceToCsvAndBack() throws Exception {
        for (String sample : List.of("samples/traces/lockinv-mutex.trace", "samples/traces/lockinv-rwsem.trace.gz",
                "samples/traces/lockinv-mixed.trace.xz", "src/test/resources/traces/irq.trace",
                "src/test/resources/traces/lost.trace", "src/test/resources/traces/trylock.trace")) {
            Path src = Path.of(sample);
            String csv = convert(src, TraceWriter.Target.CSV);
            Path csvFile = write("a.csv", csv);
            String text = convert(csvFile, TraceWriter.Target.FTRACE);
            Path textFile = write("b.ftrace", text);
            String csv2 = convert(textFile, TraceWriter.Target.CSV);
            assertEquals(csv, csv2, sample);
            TraceRun a = TraceRun.file(src);
            TraceRun b = TraceRun.file(csvFile);
            TraceRun c = TraceRun.file(textFile);
            assertEquals(a.edges(), b.edges(), sample);
            assertEquals(a.edges(), c.edges(), sample);
            assertEquals(a.cycleTags(), b.cycleTags(), sample);
            assertEquals(a.cycleTags(), c.cycleTags(), sample);
            if (!sample.endsWith("lost.trace")) {
                assertFalse(a.edges().isEmpty(), sample + " yields no dependency: the comparison would be vacuous");
            }
            assertEquals(a.engine.stats().lostEvents, b.engine.stats().lostEvents, sample);
            assertEquals(a.engine.stats().lostEvents, c.engine.stats().lostEvents, sample);
            assertEquals(usage(a), usage(b), sample);
            assertEquals(usage(a), usage(c), sample);
        }
    }

    /** Each class's irq usage bits, by name. */
    private static Map<String, Integer> usage(TraceRun r) {
        Map<String, Integer> m = new TreeMap<>();
        for (int c = 0; c < r.engine.classCount(); c++) {
            m.put(r.engine.classes().name(c), r.engine.usage(c));
        }
        return m;
    }

    /** STD's fork/join survive CSV and TSV (not ftrace, which has no form for them), so the tags stay. */
    @Test
    void stdThroughCsvAndTsvKeepsThreadOrder() throws Exception {
        Path std = Path.of("samples/std/gated.std");
        TraceRun a = TraceRun.file(std);
        for (TraceWriter.Target t : List.of(TraceWriter.Target.CSV, TraceWriter.Target.TSV)) {
            Path p = write("g." + t.name().toLowerCase(Locale.ROOT), convert(std, t));
            TraceRun b = TraceRun.file(p);
            assertEquals(a.edges(), b.edges());
            assertEquals(a.cycleTags(), b.cycleTags());
        }
        String text = convert(std, TraceWriter.Target.FTRACE);
        assertTrue(text.contains("T3-4 [000] 0.000000005: lock_acquire: 2 a"), text);
    }

    @Test
    void awkwardNamesAreQuotedAndEscaped() throws Exception {
        Path csv = write("n.csv", "task,op,lock,class\n\"a, b-1\",acquire,0xa,\"x \"\"quoted\"\", y\"\n"
                + "\"a, b-1\",acquire,0xb,\"#hash\"\n");
        String out = convert(csv, TraceWriter.Target.CSV);
        assertEquals("""
                time,task,cpu,op,lock,class,mode,ctx
                0.000000,"a, b-1",0,acquire,0xa,"x ""quoted"", y",write,
                0.000000,"a, b-1",0,acquire,0xb,"#hash",write,
                """, out);
        assertEquals(TraceRun.file(csv).edges(), TraceRun.file(write("n2.csv", out)).edges());
        String tsv = convert(csv, TraceWriter.Target.TSV);
        assertEquals(TraceRun.file(csv).edges(), TraceRun.file(write("n.tsv", tsv)).edges());
    }
}
