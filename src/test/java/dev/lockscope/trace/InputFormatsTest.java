package dev.lockscope.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockscope.TraceRun;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each input format's reader: the edges it yields, what it counts, and its messages for bad lines. */
class InputFormatsTest {

    @Test
    void csvColumnsInAnyOrderWithExtraColumnsQuotesAndComments() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.CSV, """
                # a comment before the header
                op,Task,lock,class,extra,time,cpu,mode,ctx
                acquire,w-1,0xa0,A,x,1.0,0,write,process
                acquire,w-1,0xb0,"B, the second",y,1.1,0,,process
                release,w-1,0xb0,"B, the second",,1.2,0,,
                release,w-1,0xa0,A,,1.3,0,,
                # a comment between events

                acquire,w-2,0xb0,"B, the second",,2.0,1,write,
                acquire,w-2,0xa0,A,,2.1,1,write,
                """);
        assertEquals(Map.of("A -> B, the second", "EN", "B, the second -> A", "EN"), r.edges());
        assertEquals(List.of(), r.problems);
        assertEquals(6, r.stats.lockEvents);
        assertEquals(1, r.analysis.cycles().size());
    }

    @Test
    void csvTrylockReadAndContext() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.CSV, """
                time,task,cpu,op,lock,class,mode,ctx
                1.0,w-1,0,acquire,0xa0,A,write,softirq irqs-off
                1.1,w-1,0,try,0xb0,B,read,softirq|irqs-off
                1.2,w-1,0,acquire,0xc0,C,recursive-read,softirq
                """);
        // B was a trylock: it makes no edge itself, and the walk passes it down to A; reads in
        // softirq context are recursive (as rwlock_t readers there), so C is a recursive read
        assertEquals(Map.of("A -> C", "ER", "B -> C", "SR"), r.edges());
        assertEquals(1, r.engine.stats().trylocks);
    }

    private static Map<String, String> withoutReadState(Map<String, String> edges) {
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
        edges.forEach((k, v) -> m.put(k, v.contains("SN") ? "SN" : v.contains("EN") ? "EN" : v));
        return m;
    }

    @Test
    void csvBadFieldsAreRejectedWithTheirLineAndReason() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.CSV, """
                time,task,cpu,op,lock,class,mode,ctx
                1.0,w-1,0,grab,0xa0,A,write,
                x.y,w-1,0,acquire,0xa0,A,write,
                1.0,w-1,zero,acquire,0xa0,A,write,
                1.0,w-1,0,acquire,0xa0,A,exclusive,
                1.0,w-1,0,acquire,0xa0,A,write,userspace
                1.0,,0,acquire,0xa0,A,write,
                1.0,w-1,0,acquire,,,write,
                1.0,w-1,0,acquire,0xa0,A,write,
                """);
        assertEquals(List.of(
                "2: bad op 'grab' (acquire, try, acquired, contended, release, lost, fork, join)",
                "3: bad time 'x.y' (seconds, e.g. 7.065071)",
                "4: bad cpu 'zero'",
                "5: bad mode 'exclusive' (write, read, recursive-read)",
                "6: bad ctx 'userspace' (process softirq hardirq nmi irqs-off bh-off)",
                "7: missing task",
                "8: missing lock and class"), r.problems);
        assertEquals(1, r.stats.lockEvents);
    }

    @Test
    void csvWithoutRequiredColumnsIsNotACsvTrace() {
        InputProblem e = assertThrows(InputProblem.class, () -> TraceRun.text(TraceFormat.CSV, "time,who,what\n1,2,3\n"));
        assertEquals("test:1: the CSV header has no 'task' column (columns: time,task,cpu,op,lock,class,mode,ctx; "
                + "task and op are required)", e.getMessage());
    }

    @Test
    void tsvReadsTheSameSchema() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.TSV, "task\top\tlock\tclass\n"
                + "w-1\tacquire\t0xa0\tA\nw-1\tacquire\t0xb0\tB\\twith tab\n");
        assertEquals(Map.of("A -> B\twith tab", "EN"), r.edges());
    }

    @Test
    void csvTaskForms() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.CSV, """
                task,op,class
                kworker/u8:2-98,acquire,A
                4242,acquire,B
                writer thread,acquire,C
                """);
        assertEquals("kworker/u8:2-98", r.engine.tasks().label(0));
        assertEquals("<...>-4242", r.engine.tasks().label(1));
        assertEquals("writer thread-1", r.engine.tasks().label(2));
    }

    @Test
    void stdLocksMemoryAccessesRequestsAndBadLines() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.STD, """
                T1|acq(l1)|1
                T1|w(V1.x)|2
                T1|req(l2)|3
                T1|acq(l2)|3
                T1|rel(l2)|4
                T1|rel(l1)|5
                T2|r(V1.x)
                T2|grab(l1)|6
                T2 acq(l1) 7
                T2|acq()|8
                T2|acq(l1|9
                """);
        assertEquals(Map.of("l1 -> l2", "EN"), r.edges());
        assertEquals(Map.of("r", 1L, "req", 1L, "w", 1L), r.stats.otherEvents());
        assertEquals(List.of(
                "8: unknown operation (expected acq, rel, r, w, fork, join or req)",
                "9: not an STD event (expected THREAD|OP(ARG)|LOC)",
                "10: empty argument",
                "11: missing ')' after the argument"), r.problems);
    }

    @Test
    void perfScriptWithCallchainsPidTidAndSpacesInComm() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.PERF, """
                # ========
                # captured on    : Sat Nov 21 10:00:00 2026
                # ========
                Web Content  2001/2003 [001]   10.000100: lock:lock_acquire: 0xffff8881000000a0 &a->lock
                \tffffffff810f2c3e lock_acquire+0xde ([kernel.kallsyms])
                \tffffffff81b3f1a2 __mutex_lock+0x92 ([kernel.kallsyms])

                Web Content  2001/2003 [001]   10.000200: lock:lock_acquire: 0xffff8881000000b0 try read &b->sem
                Web Content  2001/2003 [001]   10.000210: 1 lock:lock_acquire: ffff8881000000c0 &c->lock
                Web Content  2001/2003 [001]   10.000300: sched:sched_switch: prev_comm=x
                \tffffffff810f2c3e schedule+0x1e ([kernel.kallsyms])
                Web Content 2003 [001] 10.000400: lock:lock_acquire: nothex &d->lock
                garbage
                """);
        assertEquals(Map.of("&a->lock -> &c->lock", "EN", "&b->sem -> &c->lock", "SN"), withoutReadState(r.edges()));
        assertEquals("Web Content-2003", r.engine.tasks().label(0));
        assertEquals(3, r.stats.lockEvents);
        assertEquals(Map.of("callchain line", 3L), r.stats.skippedByReason());
        assertEquals(Map.of("sched:sched_switch", 1L), r.stats.otherEvents());
        assertEquals(List.of("12: bad lock address", "13: not a perf script event line (no 'COMM TID [CPU]')"),
                r.problems);
    }

    @Test
    void traceCmdHeaderIsNotMalformed() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.TRACE_CMD, """
                version = 6
                CPU 1 is empty
                cpus=2
                  w-1     [000]    1.000001: lock_acquire:         0xffff8881000000a0 A
                  w-1     [000]    1.000002: lock_acquire:         0xffff8881000000b0 B
                """);
        assertEquals(Map.of("A -> B", "EN"), r.edges());
        assertEquals(List.of(), r.problems);
        assertEquals(3, r.stats.headerLines);
    }

    // ------------------------------------------------------------------ choosing the format

    @Test
    void everySampleIsRecognisedByExtensionOrContent() throws Exception {
        Map<String, TraceFormat> expect = Map.of(
                "samples/csv/wiphy-rtnl.csv", TraceFormat.CSV,
                "samples/tsv/wiphy-rtnl.tsv", TraceFormat.TSV,
                "samples/trace-cmd/uring-sqd.report", TraceFormat.TRACE_CMD,
                "samples/perf/fbcon-drm.perf", TraceFormat.PERF,
                "samples/std/gated.std", TraceFormat.STD,
                "samples/traces/lockinv-mutex.trace", TraceFormat.FTRACE,
                "samples/traces/lockinv-rwsem.trace.gz", TraceFormat.FTRACE);
        for (Map.Entry<String, TraceFormat> e : expect.entrySet()) {
            TraceSource src = TraceSource.of(e.getKey());
            try (InputStream in = src.open(InputStream.nullInputStream())) {
                assertEquals(e.getValue(), TraceFormat.choose(null, src, in), e.getKey());
                // and by content alone, as for standard input
                assertEquals(e.getValue(), TraceFormat.sniff(in), e.getKey() + " sniffed");
            }
            TraceRun r = TraceRun.file(Path.of(e.getKey()));
            assertEquals(1, r.analysis.deadlocks() > 0 ? 1 : 0, e.getKey());
        }
    }

    @Test
    void extensionWinsOverContentAndTheFlagOverBoth() throws Exception {
        TraceSource src = TraceSource.of("x.std");
        InputStream in = stream("time,task,op,lock\n");
        assertEquals(TraceFormat.STD, TraceFormat.choose(null, src, in));
        assertEquals(TraceFormat.CSV, TraceFormat.choose(TraceFormat.CSV, src, in));
        assertEquals(TraceFormat.CSV, TraceFormat.byExtension("dir.d/trace.CSV.xz"));
        assertNull(TraceFormat.byExtension("dir.csv/trace"));
    }

    @Test
    void unrecognisedContentNamesTheFormatsTried() {
        InputProblem e = assertThrows(InputProblem.class,
                () -> TraceFormat.choose(null, TraceSource.of("notes.txt"), stream("dear diary,\ntoday I locked A.\n")));
        assertEquals("notes.txt: unrecognised trace format (tried the extension, then the first lines as ftrace, "
                + "trace-cmd, perf, csv, tsv, std); name it with --input-format", e.getMessage());
    }

    @Test
    void sniffingSeesPastGarbageAtTheTop() throws Exception {
        assertEquals(TraceFormat.FTRACE, TraceFormat.sniff(stream(
                "junk\n  w-1   [000] ..... 1.000001: lock_acquire: ffff8881000000a0 A\n")));
        assertEquals(TraceFormat.STD, TraceFormat.sniff(stream("T1|acq(l)|1\n")));
        assertEquals(TraceFormat.FTRACE, TraceFormat.sniff(stream("")));
        assertTrue(TraceFormat.labels().startsWith("ftrace, trace-cmd"));
    }

    private static InputStream stream(String s) {
        return new java.io.BufferedInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }
}
