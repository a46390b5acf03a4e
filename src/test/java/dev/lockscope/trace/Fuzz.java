package dev.lockscope.trace;

import dev.lockscope.analysis.Analyzer;
import dev.lockscope.graph.ClassRules;
import dev.lockscope.graph.GraphBuilder;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of corrupt inputs for every reader, and the harness that runs them: valid
 * lines of the format, mutated (truncated, binary and non-UTF-8 bytes, fields dropped or
 * repeated, delimiters doubled, lines joined, huge lines), read by the format's reader into the
 * engine. An input passes when nothing but a TraceFormatException/InputProblem escapes and every
 * rejection is {@code source:line: reason} with a line inside the input and a one-line reason.
 * FuzzTest runs a short round; {@code dev.lockscope.perf.FuzzRun} runs millions.
 */
public final class Fuzz {
    private static final String SOURCE = "fuzz";

    private static final List<String> FTRACE = List.of(
            "# tracer: nop",
            "# entries-in-buffer/entries-written: 11/19   #P:2",
            "    worker-a-100     [000] .....    10.000010: lock_acquire: ffff88810a000010 &dev->lock_a",
            "    worker-a-100     [000] d..2.    10.000020: lock_acquire: ffff88810a000020 try read &dev->lock_b",
            "    worker-b-101     [001] ..s1.    10.000030: lock_release: ffff88810a000010 &dev->lock_a",
            "    kworker/0:1-12   (   12) [001] d.h1.  10.000040: lock_contended: (____ptrval____) rcu_read_lock",
            "CPU:1 [LOST 12 EVENTS]",
            "    worker-b-101     [001] .....    10.000050: sched_switch: prev_comm=a prev_pid=1");
    private static final List<String> TRACE_CMD = List.of(
            "version = 6", "CPU 1 is empty", "cpus=2",
            "        fio-1530  [001]   812.441022: lock_acquire:         0xffff8f0e4a9c2a10 &ctx->uring_lock",
            "   iou-sqp-1542   [001]   812.441071: lock_release:         0xffff8f0e47d31c08 &sqd->lock");
    private static final List<String> PERF = List.of(
            "Xorg  1190 [002]   305.118201: lock:lock_acquire: 0xffff9a4c81d40538 &dev->mode_config.mutex",
            "\tffffffffa10f2c3e lock_acquire+0xde ([kernel.kallsyms])",
            "",
            "kworker/3:1    74/74    [003]   305.201004: lock:lock_acquire: 0xffff9a4c84a1e0d8 try read &fb_info->lock",
            "Web Content 2003 [001] 10.000400: 1 lock:lock_release: ffff9a4c84a1e0d8 &fb_info->lock",
            "# ========");
    private static final List<String> CSV = List.of(
            "time,task,cpu,op,lock,class,mode,ctx",
            "41.200101,NetworkManager-611,0,acquire,0xffffffff8a2b4ce0,rtnl_mutex,write,process",
            "41.200140,NetworkManager-611,0,try,0xffff88810c3a0798,&rdev->wiphy.mtx,read,softirq irqs-off",
            "\"41.318500\",\"kworker/u8:2-98\",\"1\",\"release\",\"0xffff\",\"a, \"\"b\"\"\",\"write\",\"\"",
            "41.3,w-1,0,lost,12,,,",
            "1.0,T0-1,0,fork,T1-2,,,",
            "# comment");
    private static final List<String> TSV = List.of(
            "time\ttask\tcpu\top\tlock\tclass\tmode\tctx",
            "41.200101\tNetworkManager-611\t0\tacquire\t0xffffffff8a2b4ce0\trtnl_mutex\twrite\tprocess",
            "41.200140\tw-1\t0\trelease\t0xa\tB\\twith tab\trecursive-read\thardirq");
    private static final List<String> STD = List.of(
            "T1|acq(l1)|1", "T1|rel(l1)|2", "T2|w(V1.x)|3", "T2|r(V1.x)", "T0|fork(T1)|4", "T0|join(T1)|5",
            "T3|req(L2a01981ff4)|6", "T3|acq(L2a01981ff4)|6");

    private final Random rnd;
    private final boolean huge;

    /** @param huge sometimes make lines longer than the readers' limit (slow: off for long runs) */
    public Fuzz(long seed, boolean huge) {
        this.rnd = new Random(seed);
        this.huge = huge;
    }

    static List<String> templates(TraceFormat f) {
        return switch (f) {
            case FTRACE -> FTRACE;
            case TRACE_CMD -> TRACE_CMD;
            case PERF -> PERF;
            case CSV -> CSV;
            case TSV -> TSV;
            case STD -> STD;
        };
    }

    /** One generated input of format f: 1..24 lines, most of them mutated. */
    public byte[] input(TraceFormat f) {
        List<String> t = templates(f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = 1 + rnd.nextInt(24);
        if (f == TraceFormat.CSV || f == TraceFormat.TSV) {
            if (rnd.nextInt(8) != 0) {
                out.writeBytes((t.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < lines; i++) {
            byte[] line = t.get(rnd.nextInt(t.size())).getBytes(StandardCharsets.UTF_8);
            if (rnd.nextInt(4) != 0) {
                line = mutate(line, f);
            }
            out.writeBytes(line);
            if (i < lines - 1 || rnd.nextBoolean()) {
                out.write(rnd.nextInt(16) == 0 ? '\r' : '\n');
                if (rnd.nextInt(16) == 0) {
                    out.write('\n');
                }
            }
        }
        return out.toByteArray();
    }

    private byte[] mutate(byte[] b, TraceFormat f) {
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n; k++) {
            int len = b.length;
            int at = len == 0 ? 0 : rnd.nextInt(len + 1);
            switch (rnd.nextInt(11)) {
                case 0 -> b = java.util.Arrays.copyOf(b, at);                          // truncate
                case 1 -> b = insert(b, at, randomBytes(1 + rnd.nextInt(8), true));   // binary
                case 2 -> b = insert(b, at, new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xfe}); // not UTF-8
                case 3 -> b = delete(b, at, rnd.nextInt(6));                          // drop characters
                case 4 -> b = insert(b, at, delimiter(f));                           // extra field
                case 5 -> b = removeDelimiter(b, f);                                 // missing field
                case 6 -> b = insert(b, at, randomBytes(1 + rnd.nextInt(30), false)); // printable junk
                case 7 -> b = insert(b, at, digits());                               // long numbers
                case 8 -> b = insert(b, at, new byte[] {'"'});                       // stray quote
                case 9 -> {                                                           // a very long field
                    int size = huge && rnd.nextInt(64) == 0 ? (1 << 20) + rnd.nextInt(4096) : 200 + rnd.nextInt(2000);
                    byte[] big = new byte[size];
                    java.util.Arrays.fill(big, (byte) ('a' + rnd.nextInt(26)));
                    b = insert(b, at, big);
                }
                default -> b = insert(b, at, new byte[] {(byte) rnd.nextInt(256)});
            }
        }
        return b;
    }

    private byte[] digits() {
        byte[] d = new byte[1 + rnd.nextInt(30)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) ('0' + rnd.nextInt(10));
        }
        return d;
    }

    private static byte[] delimiter(TraceFormat f) {
        return switch (f) {
            case CSV -> new byte[] {','};
            case TSV -> new byte[] {'\t'};
            case STD -> new byte[] {'|'};
            default -> new byte[] {' ', '['};
        };
    }

    private byte[] removeDelimiter(byte[] b, TraceFormat f) {
        byte d = delimiter(f)[0];
        for (int tries = 0; tries < 4 && b.length > 0; tries++) {
            int i = rnd.nextInt(b.length);
            if (b[i] == d || b[i] == ':' || b[i] == '(' || b[i] == ')' || b[i] == ']') {
                return delete(b, i, 1);
            }
        }
        return b;
    }

    private byte[] randomBytes(int n, boolean binary) {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = binary ? (byte) rnd.nextInt(256) : (byte) (32 + rnd.nextInt(95));
        }
        return r;
    }

    private static byte[] insert(byte[] b, int at, byte[] x) {
        byte[] r = new byte[b.length + x.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(x, 0, r, at, x.length);
        System.arraycopy(b, at, r, at + x.length, b.length - at);
        return r;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        n = Math.min(n, b.length - at);
        byte[] r = new byte[b.length - n];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(b, at + n, r, at, b.length - at - n);
        return r;
    }

    // ------------------------------------------------------------------ the harness

    /** Runs inputs through readers and engines; a failure is an AssertionError naming the input's format and seed. */
    public static final class Harness {
        private final ClassRules rules = ClassRules.defaults();
        private GraphBuilder engine;
        private ByteSymbols classes;
        private int uses;
        public long inputs;
        public long rejections;
        public long events;

        public void run(TraceFormat f, byte[] input, String label) {
            if (engine == null || uses++ == 2000) {
                if (engine != null) {
                    // the findings over everything the last 2000 inputs built
                    new Analyzer(engine, 10).analyze(List.of(SOURCE), new ReadStats(), null);
                }
                classes = new ByteSymbols();
                engine = new GraphBuilder(new Tasks(), classes, rules);
                uses = 0;
            }
            long lines = 1;
            for (byte c : input) {
                if (c == '\n') {
                    lines++;
                }
            }
            final long maxLine = lines;
            Tasks tasks = new Tasks();
            engine.startInput(tasks, dev.lockscope.model.StackSource.NONE);
            ReadStats stats = new ReadStats();
            Problems check = (src, line, reason) -> {
                rejections++;
                if (!SOURCE.equals(src) || line < 1 || line > maxLine || reason == null || reason.isEmpty()
                        || reason.indexOf('\n') >= 0 || reason.indexOf('\r') >= 0) {
                    throw new AssertionError(label + ": bad rejection " + src + ":" + line + ": " + reason);
                }
            };
            try {
                BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(input));
                TraceFormat.sniff(in);
                f.reader(SOURCE, tasks, classes, engine, stats, check, false).read(in);
            } catch (InputProblem e) {
                if (!e.getMessage().startsWith(SOURCE + ":")) {
                    throw new AssertionError(label + ": input problem without the source: " + e.getMessage());
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception | Error e) {
                AssertionError a = new AssertionError(label + ": " + e + " escaped; input:\n"
                        + new String(input, 0, Math.min(input.length, 2000), StandardCharsets.ISO_8859_1));
                a.initCause(e);
                throw a;
            }
            inputs++;
            events += stats.lockEvents;
            if (uses % 200 == 0) {
                new Analyzer(engine, 10).analyze(List.of(SOURCE), stats, null);
            }
        }
    }
}
