package dev.lockscope.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** The ftrace text layouts lockdep kernels produce (lockdep-reference.md §4.1, §4.5). */
class FtraceReaderTest {

    /** Records events as readable strings. */
    static final class Recorder implements EventSink {
        final List<String> events = new ArrayList<>();
        final Tasks tasks;
        final ByteSymbols classes;

        Recorder(Tasks tasks, ByteSymbols classes) {
            this.tasks = tasks;
            this.classes = classes;
        }

        private String who(int task, int cpu, int ctx, long ts, long line) {
            return tasks.label(task) + " cpu" + cpu + " ctx" + Integer.toHexString(ctx) + " " + ts + " L" + line;
        }

        @Override
        public void acquire(int task, int cpu, int ctx, long ts, long line, long addr, int cls, boolean trylock,
                            boolean read) {
            events.add(who(task, cpu, ctx, ts, line) + " acquire " + Long.toHexString(addr) + (trylock ? " try" : "")
                    + (read ? " read" : "") + " " + classes.name(cls));
        }

        @Override
        public void release(int task, int cpu, int ctx, long ts, long line, long addr, int cls) {
            events.add(who(task, cpu, ctx, ts, line) + " release " + Long.toHexString(addr) + " " + classes.name(cls));
        }

        @Override
        public void contended(int task, int cpu, int ctx, long ts, long line, long addr, int cls) {
            events.add(who(task, cpu, ctx, ts, line) + " contended " + classes.name(cls));
        }

        @Override
        public void acquired(int task, int cpu, int ctx, long ts, long line, long addr, int cls) {
            events.add(who(task, cpu, ctx, ts, line) + " acquired " + classes.name(cls));
        }

        @Override
        public void lostEvents(int cpu, long count, long line) {
            events.add("lost cpu" + cpu + " " + count + " L" + line);
        }
    }

    private final List<String> problems = new ArrayList<>();
    private ReadStats stats;

    private List<String> read(byte[] input) throws Exception {
        Tasks tasks = new Tasks();
        ByteSymbols classes = new ByteSymbols();
        Recorder r = new Recorder(tasks, classes);
        stats = new ReadStats();
        new FtraceReader("t", tasks, classes, r, stats, (s, l, why) -> problems.add(s + ":" + l + ": " + why))
                .read(new ByteArrayInputStream(input));
        return r.events;
    }

    private List<String> read(String text) throws Exception {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fiveCharacterFlagsFrom515() throws Exception {
        assertEquals(List.of("wl_a_mmap_read_-226 cpu0 ctx20 29783306000 L1 acquire ffffa3fa836b0870 read &mm->mmap_lock",
                        "wl_a_mmap_read_-226 cpu0 ctx20 29783294000 L2 acquire ffffa3fafd7f0158 try &pcp->lock",
                        "wl_a_mmap_read_-226 cpu0 ctx2a 29783394000 L3 acquire ffffffffbbf921c8 read tk_core.seq.seqcount"),
                read("""
                         wl_a_mmap_read_-226     [000] .....    29.783306: lock_acquire: ffffa3fa836b0870 read &mm->mmap_lock
                         wl_a_mmap_read_-226     [000] ...3.    29.783294: lock_acquire: ffffa3fafd7f0158 try &pcp->lock
                         wl_a_mmap_read_-226     [000] d.h1.    29.783394: lock_acquire: ffffffffbbf921c8 read tk_core.seq.seqcount
                        """.stripIndent()));
    }

    /**
     * An address's digits are remembered with the class last named with them: memory freed and
     * reused by another lock class must still name the new class, and an address that differs in
     * one digit, or is not hex, must not take the remembered one.
     */
    @Test
    void anAddressReusedByAnotherClassNamesTheNewClass() throws Exception {
        assertEquals(List.of("t-1 cpu0 ctx20 1000001000 L1 acquire ffff000000000001 &a->lock",
                        "t-1 cpu0 ctx20 1000002000 L2 release ffff000000000001 &a->lock",
                        "t-1 cpu0 ctx20 1000003000 L3 acquire ffff000000000001 &b->lock",
                        "t-1 cpu0 ctx20 1000004000 L4 acquire ffff000000000002 &b->lock",
                        "t-1 cpu0 ctx20 1000006000 L6 release ffff000000000001 &a->lock"),
                read("""
                                   t-1       [000] .....     1.000001: lock_acquire: ffff000000000001 &a->lock
                                   t-1       [000] .....     1.000002: lock_release: ffff000000000001 &a->lock
                                   t-1       [000] .....     1.000003: lock_acquire: ffff000000000001 &b->lock
                                   t-1       [000] .....     1.000004: lock_acquire: ffff000000000002 &b->lock
                                   t-1       [000] .....     1.000005: lock_acquire: ffff00000000000g &b->lock
                                   t-1       [000] .....     1.000006: lock_release: ffff000000000001 &a->lock
                        """.stripIndent()));
    }

    @Test
    void fourCharacterFlagsBefore515AndSoftirq() throws Exception {
        assertEquals(List.of("<idle>-0 cpu1 ctx29 20803501685000 L1 acquire 8b91ab4 &sg_policy->update_lock",
                        "<idle>-0 cpu1 ctx29 20803501686000 L2 acquired &sg_policy->update_lock"),
                read("""
                          <idle>-0       [001] d.s3 20803.501685: lock_acquire: 0000000008b91ab4 &sg_policy->update_lock
                          <idle>-0       [001] d.s3 20803.501686: lock_acquired: 0000000008b91ab4 &sg_policy->update_lock
                        """));
    }

    @Test
    void irqInfoOffHasNoFlagsAndTheContextIsUnknown() throws Exception {
        assertEquals(List.of("<idle>-0 cpu2 ctx0 23636756054000 L2 release ffff888100000001 &rq->__lock"),
                read("#           TASK-PID   CPU#      TIMESTAMP  FUNCTION\n"
                        + "          <idle>-0     [002]  23636.756054: lock_release: ffff888100000001 &rq->__lock\n"));
    }

    @Test
    void commsWithSpacesDashesSlashesColonsAndBrackets() throws Exception {
        List<String> ev = read("""
                 lockinv/mutex_a-172     [000] ...1.     7.032930: lock_acquire: ffffffffc01d93f0 lockinv_mutex_a
                  kworker/u4:2-30      [000] .....   227.804288: lock_release: ffffa3fa8390ea48 sb_writers
                     my prog [x]-1234  [001] .....     1.000001: lock_release: ffff000000000001 a
                    trace-cmd-16129 (  16120) [002] .....  1.000002: lock_release: 0xffff88003f1fa4f8 &sb->s_type->i_mutex_key
                           <...>-77      [001] .....     1.000003: lock_release: ffff000000000001 a
                """);
        assertEquals(List.of("lockinv/mutex_a-172", "kworker/u4:2-30", "my prog [x]-1234", "trace-cmd-16129", "<...>-77"),
                ev.stream().map(e -> e.substring(0, e.indexOf(" cpu"))).toList());
        assertEquals(List.of(), problems);
    }

    @Test
    void idleIsOneTaskPerCpuAndPidsKeepTheirComm() throws Exception {
        Tasks tasks = new Tasks();
        byte[] idle = "<idle>".getBytes(StandardCharsets.UTF_8);
        assertEquals(0, tasks.task(0, 0, idle, 0, idle.length));
        assertEquals(0, tasks.task(0, 0, idle, 0, idle.length));
        int other = tasks.task(0, 1, idle, 0, idle.length);
        assertEquals(1, other);
        byte[] unknown = "<...>".getBytes(StandardCharsets.UTF_8);
        int t = tasks.task(42, 0, "bash".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertEquals(t, tasks.task(42, 1, unknown, 0, unknown.length));
        assertEquals("bash-42", tasks.label(t));
    }

    @Test
    void lostEventsMarkersWithAndWithoutACount() throws Exception {
        assertEquals(List.of("lost cpu1 123 L1", "lost cpu0 0 L2"), read("CPU:1 [LOST 123 EVENTS]\nCPU:0 [LOST EVENTS]\n"));
    }

    @Test
    void headerCountsOtherEventsCrlfAndNanosecondTimestamps() throws Exception {
        List<String> ev = read("# tracer: nop\r\n#\r\n# entries-in-buffer/entries-written: 3/5   #P:1\r\n"
                + "  t-1 [000] ..... 1.000000001: lock_release: ffff000000000001 a\r\n"
                + "  t-1 [000] ..... 1.000000002: contention_begin: ffff000000000001 (flags=SPIN|MUTEX)\r\n"
                + "  t-1 [000] ..... 1.000000003: tracing_mark_write: WORKLOAD_BEGIN x: a\r\n"
                + "\tcontinued marker text\r\n");
        assertEquals(List.of("t-1 cpu0 ctx20 1000000001 L4 release ffff000000000001 a"), ev);
        assertEquals(3, stats.entriesInBuffer);
        assertEquals(5, stats.entriesWritten);
        assertEquals(java.util.Map.of("tracing_mark_write", 1L), stats.otherEvents());
        assertEquals(java.util.Map.of("contention_begin", 1L), stats.used.byName());
        assertEquals(3, stats.headerLines);
        assertEquals(java.util.Map.of("continuation line of a multi-line event", 1L), stats.skippedByReason());
    }

    @Test
    void malformedLinesAreCountedWithFileLineAndReason() throws Exception {
        read("""
                garbage
                  t-1 [000] ..... 1.000001: lock_acquire: zzzz a
                  t-1 [000] .!... 1.000001: lock_acquire: ffff000000000001 a
                  t-1 [000] ..... 1.000001: lock_acquire: ffff000000000001 \s
                  t-1 [000] ..... 1.x: lock_acquire: ffff000000000001 a
                  t-1 [000] ..... 1.000001 lock_acquire
                """);
        assertEquals(List.of("t:1: not an ftrace event line (no '<comm>-<pid> [<cpu>]')", "t:2: bad lock address",
                "t:3: bad flags column", "t:4: missing lock name", "t:5: bad timestamp", "t:6: missing timestamp"),
                problems);
        assertEquals(6, stats.malformedTotal);
    }

    @Test
    void aLineLongerThanTheLimitIsOneMalformedLine() throws Exception {
        StringBuilder sb = new StringBuilder("  t-1 [000] ..... 1.000001: lock_release: ffff000000000001 a\n");
        sb.append("x".repeat(3 * FtraceReader.MAX_LINE)).append('\n');
        sb.append("  t-1 [000] ..... 1.000002: lock_release: ffff000000000001 b\n");
        List<String> ev = read(sb.toString());
        assertEquals(2, ev.size());
        assertEquals(List.of("t:2: line longer than 1048576 bytes"), problems);
        assertEquals(3, stats.lines);
    }

    @Test
    void aLongLineWithinTheLimitIsRead() throws Exception {
        String name = "n".repeat(FtraceReader.MAX_LINE - 100);
        List<String> ev = read("  t-1 [000] ..... 1.000001: lock_release: ffff000000000001 a\n"
                + "  t-1 [000] ..... 1.000002: lock_release: ffff000000000001 " + name + "\n"
                + "  t-1 [000] ..... 1.000003: lock_release: ffff000000000001 b\n");
        assertEquals(3, ev.size());
        assertEquals("t-1 cpu0 ctx20 1000002000 L2 release ffff000000000001 " + name, ev.get(1));
        assertEquals(List.of(), problems);
    }

    @Test
    void strictModeStopsAtTheFirstMalformedLine() {
        Tasks tasks = new Tasks();
        ByteSymbols classes = new ByteSymbols();
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> new FtraceReader("f.trace", tasks,
                classes, new Recorder(tasks, classes), new ReadStats(), (s, l, why) -> {
                    throw new TraceFormatException(s, l, why);
                }).read(new ByteArrayInputStream("ok\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals("f.trace:1: not an ftrace event line (no '<comm>-<pid> [<cpu>]')", e.getMessage());
    }

    @Test
    void overwrittenRingBufferIsAnalysedFromWhereEveryCpuHasBegun() throws Exception {
        List<String> ev = read("""
                # entries-in-buffer/entries-written: 4/100   #P:2
                  t-1 [000] ..... 1.000001: lock_acquire: ffff000000000001 a
                ##### CPU 1 buffer started ####
                  t-2 [001] ..... 1.000002: lock_acquire: ffff000000000002 b
                  t-1 [000] ..... 1.000003: lock_release: ffff000000000001 a
                """);
        assertEquals(2, ev.size());
        assertEquals(1, stats.eventsBeforeWindow);
        assertEquals(4, stats.windowStartLine);
    }

    @Test
    void gzipAndXzAreRecognisedByMagicBytes() throws Exception {
        byte[] plain = "  t-1 [000] ..... 1.000001: lock_release: ffff000000000001 a\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(xz, new LZMA2Options())) {
            out.write(plain);
        }
        for (byte[] data : List.of(gz.toByteArray(), xz.toByteArray(), plain)) {
            TraceSource src = TraceSource.of("-");
            byte[] back = src.open(new ByteArrayInputStream(data)).readAllBytes();
            assertEquals(new String(plain, StandardCharsets.UTF_8), new String(back, StandardCharsets.UTF_8));
        }
    }

    @Test
    void nmiEventsAreMarked() throws Exception {
        List<String> ev = read("  t-1 [000] d.z1. 1.000001: lock_acquire: ffff000000000001 a\n");
        assertEquals(1, ev.size());
        assertEquals(true, ev.get(0).contains("ctx" + Integer.toHexString(Ctx.KNOWN | Ctx.HARDIRQS_OFF | Ctx.NMI) + " "));
    }
}
