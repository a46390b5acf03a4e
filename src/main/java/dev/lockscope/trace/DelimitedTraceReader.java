package dev.lockscope.trace;

import com.univocity.parsers.common.AbstractParser;
import com.univocity.parsers.common.CommonParserSettings;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.tsv.TsvParser;
import com.univocity.parsers.tsv.TsvParserSettings;
import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads lock events as CSV or TSV: the format simulation runs, user scripts and other tools
 * write, and what {@code lockscope convert} writes. The only class that uses univocity-parsers,
 * so that swapping the library costs one file.
 *
 * <p>Schema (README, "CSV and TSV"): blank lines and lines starting with {@code #} are skipped;
 * the first other line is the header, naming the columns in any order (case-insensitive);
 * unknown columns are ignored. Each further line is one event:
 * <ul>
 *   <li>{@code time}: seconds with an optional fraction, as ftrace prints it (empty: the previous time);</li>
 *   <li>{@code task} (required): {@code comm-pid} as ftrace prints it, a pid, or a thread name;</li>
 *   <li>{@code cpu}: a number (empty: 0);</li>
 *   <li>{@code op} (required): {@code acquire}, {@code try}, {@code acquired}, {@code contended},
 *       {@code release}, {@code lost} (events lost on {@code cpu}; {@code lock} holds the count), or
 *       {@code fork}/{@code join} (thread order, as in STD: {@code task} started or waited for the task in {@code lock});</li>
 *   <li>{@code lock} (required unless {@code class} is given): the instance, a hex address ({@code 0x} optional)
 *       or any name; empty means unknown;</li>
 *   <li>{@code class}: the lock class (empty: the {@code lock} text);</li>
 *   <li>{@code mode}: {@code write}, {@code read} or {@code recursive-read} (empty: write);
 *       recursive-read is read as ftrace shows it, and the engine's rules decide recursion;</li>
 *   <li>{@code ctx}: words among {@code process softirq hardirq nmi irqs-off bh-off} separated by
 *       spaces or {@code |} (empty: the irq state is unknown, as in ftrace without its flags column).</li>
 * </ul>
 * A record is one line (a quoted field cannot span lines). Fields may be quoted.
 */
public final class DelimitedTraceReader extends LineReader {
    /** The columns, in the order convert writes them. */
    public static final String[] COLUMNS = {"time", "task", "cpu", "op", "lock", "class", "mode", "ctx"};
    private static final int TIME = 0;
    private static final int TASK = 1;
    private static final int CPU = 2;
    private static final int OP = 3;
    private static final int LOCK = 4;
    private static final int CLASS = 5;
    private static final int MODE = 6;
    private static final int CTX = 7;

    private final AbstractParser<?> parser;
    private final String kind;
    private final ByteSymbols names = new ByteSymbols();
    private final ByteSymbols lockNames = new ByteSymbols();
    /** Column index of each schema field in this file, or -1. */
    private int[] at;
    private long time;

    public DelimitedTraceReader(String source, boolean tsv, Tasks tasks, ByteSymbols classes, EventSink sink,
                                ReadStats stats, Problems problems) {
        super(source, tasks, classes, sink, stats, problems);
        this.kind = tsv ? "TSV" : "CSV";
        if (tsv) {
            TsvParserSettings s = new TsvParserSettings();
            configure(s);
            parser = new TsvParser(s);
        } else {
            CsvParserSettings s = new CsvParserSettings();
            configure(s);
            s.setEmptyValue("");
            parser = new CsvParser(s);
        }
    }

    private static void configure(CommonParserSettings<?> s) {
        s.getFormat().setLineSeparator("\n");
        s.getFormat().setComment('\0');
        s.setLineSeparatorDetectionEnabled(false);
        // unbounded: an expanding buffer; LineReader already rejects lines over MAX_LINE (a bound here
        // would make univocity allocate it whole for every parser)
        s.setMaxCharsPerColumn(-1);
        s.setMaxColumns(1024);
        s.setNullValue("");
        s.setIgnoreLeadingWhitespaces(true);
        s.setIgnoreTrailingWhitespaces(true);
    }

    @Override
    void line(byte[] b, int s, int e) throws TraceFormatException, InputProblem {
        if (blankOrComment(b, skipBlanks(b, s, e), e)) {
            return;
        }
        String[] f;
        try {
            f = parser.parseLine(new String(b, s, e - s, StandardCharsets.UTF_8));
        } catch (RuntimeException ex) {
            reject("unreadable " + kind + " record");
            return;
        }
        if (f == null) {
            stats.blankLines++;
            return;
        }
        if (at == null) {
            header(f);
            return;
        }
        event(f);
    }

    @Override
    void end() throws InputProblem {
        if (at == null && stats.lines > stats.blankLines + stats.headerLines) {
            throw new InputProblem(source + ": no " + kind + " header");
        }
    }

    private void header(String[] f) throws InputProblem {
        at = new int[COLUMNS.length];
        java.util.Arrays.fill(at, -1);
        for (int i = 0; i < f.length; i++) {
            String name = f[i] == null ? "" : f[i].strip().toLowerCase(Locale.ROOT);
            for (int c = 0; c < COLUMNS.length; c++) {
                if (COLUMNS[c].equals(name) && at[c] < 0) {
                    at[c] = i;
                }
            }
        }
        stats.headerLines++;
        for (int c : new int[] {TASK, OP}) {
            if (at[c] < 0) {
                throw new InputProblem(source + ":" + lineNo + ": the " + kind + " header has no '" + COLUMNS[c]
                        + "' column (columns: " + String.join(",", COLUMNS) + "; task and op are required)");
            }
        }
        if (at[LOCK] < 0 && at[CLASS] < 0) {
            throw new InputProblem(source + ":" + lineNo + ": the " + kind + " header has neither a 'lock' nor a 'class' column");
        }
    }

    private String field(String[] f, int col) {
        int i = at[col];
        if (i < 0 || i >= f.length || f[i] == null) {
            return "";
        }
        return f[i];
    }

    private void event(String[] f) throws TraceFormatException {
        String op = field(f, OP);
        String taskText = field(f, TASK);
        String timeText = field(f, TIME);
        if (!timeText.isEmpty()) {
            byte[] t = timeText.getBytes(StandardCharsets.ISO_8859_1);
            long v = Timestamps.parse(t, 0, t.length);
            if (v < 0) {
                reject("bad time '" + clip(timeText) + "' (seconds, e.g. 7.065071)");
                return;
            }
            time = v;
        }
        int cpu = 0;
        String cpuText = field(f, CPU);
        if (!cpuText.isEmpty()) {
            cpu = small(cpuText);
            if (cpu < 0) {
                reject("bad cpu '" + clip(cpuText) + "'");
                return;
            }
        }
        String lock = field(f, LOCK);
        if (op.equals("lost")) {
            long n = lock.isEmpty() ? 0 : digits(lock, 18);
            if (n < 0) {
                reject("bad count of lost events '" + clip(lock) + "'");
                return;
            }
            sink.lostEvents(cpu, n, lineNo);
            return;
        }
        if (op.equals("fork") || op.equals("join")) {
            if (taskText.isEmpty() || lock.isEmpty()) {
                reject(op + " needs the parent in 'task' and the child in 'lock'");
                return;
            }
            int parent = task(taskText, cpu);
            int child = task(lock, cpu);
            stats.otherEvent(op.getBytes(StandardCharsets.US_ASCII), 0, op.length());
            if (op.equals("fork")) {
                sink.fork(parent, child, time, lineNo);
            } else {
                sink.join(parent, child, time, lineNo);
            }
            return;
        }
        int kind = switch (op) {
            case "acquire", "try" -> LockPayload.ACQUIRE;
            case "release" -> LockPayload.RELEASE;
            case "contended" -> LockPayload.CONTENDED;
            case "acquired" -> LockPayload.ACQUIRED;
            default -> -1;
        };
        if (kind < 0) {
            reject(op.isEmpty() ? "missing op" : "bad op '" + clip(op) + "' (acquire, try, acquired, contended, release, lost, fork, join)");
            return;
        }
        if (taskText.isEmpty()) {
            reject("missing task");
            return;
        }
        String clsText = field(f, CLASS);
        if (clsText.isEmpty()) {
            clsText = lock;
        }
        if (clsText.isEmpty()) {
            reject("missing lock and class");
            return;
        }
        String mode = field(f, MODE);
        boolean read;
        switch (mode) {
            case "", "write" -> read = false;
            case "read", "recursive-read" -> read = true;
            default -> {
                reject("bad mode '" + clip(mode) + "' (write, read, recursive-read)");
                return;
            }
        }
        int ctx = ctx(field(f, CTX));
        if (ctx < 0) {
            reject("bad ctx '" + clip(field(f, CTX)) + "' (process softirq hardirq nmi irqs-off bh-off)");
            return;
        }
        int task = task(taskText, cpu);
        stats.lockEvents++;
        LockPayload.deliver(sink, kind, task, cpu, ctx, time, lineNo, address(lock), classes.intern(clsText), op.equals("try"),
                read);
    }

    private int task(String text, int cpu) {
        int dash = text.lastIndexOf('-');
        if (dash > 0 && dash < text.length() - 1) {
            int pid = small(text.substring(dash + 1));
            if (pid >= 0) {
                return tasks.task(pid, cpu, text.substring(0, dash));
            }
        }
        int pid = small(text);
        if (pid >= 0) {
            return tasks.task(pid, cpu, "<...>");
        }
        return tasks.task(names.intern(text) + 1, cpu, text);
    }

    /** A hex address, or a name numbered from the top of the address space down; empty is 0 (unknown). */
    private long address(String lock) {
        if (lock.isEmpty()) {
            return 0;
        }
        String h = lock.startsWith("0x") || lock.startsWith("0X") ? lock.substring(2) : lock;
        if (!h.isEmpty() && h.length() <= 16) {
            long v = 0;
            boolean hex = true;
            for (int i = 0; i < h.length() && hex; i++) {
                int d = LockPayload.hexDigit((byte) h.charAt(i));
                hex = d >= 0;
                v = (v << 4) | (d & 15);
            }
            if (hex) {
                return v;
            }
        }
        return -1L - lockNames.intern(lock);
    }

    static int ctx(String text) {
        if (text.isEmpty()) {
            return Ctx.PROCESS;
        }
        int ctx = Ctx.KNOWN;
        for (String w : text.split("[ |]+")) {
            switch (w) {
                case "" , "process" -> { }
                case "softirq" -> ctx |= Ctx.SOFTIRQ;
                case "hardirq" -> ctx |= Ctx.HARDIRQ;
                case "nmi" -> ctx |= Ctx.NMI;
                case "irqs-off" -> ctx |= Ctx.HARDIRQS_OFF;
                case "bh-off" -> ctx |= Ctx.SOFTIRQS_OFF;
                default -> {
                    return -1;
                }
            }
        }
        return ctx;
    }

    /** The ctx words for a packed context (the inverse of {@link #ctx(String)}). */
    public static String ctxWords(int ctx) {
        if ((ctx & Ctx.KNOWN) == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if ((ctx & Ctx.NMI) != 0) {
            sb.append("nmi ");
        }
        if ((ctx & Ctx.HARDIRQ) != 0) {
            sb.append("hardirq ");
        }
        if ((ctx & Ctx.SOFTIRQ) != 0) {
            sb.append("softirq ");
        }
        if ((ctx & (Ctx.HARDIRQ | Ctx.SOFTIRQ | Ctx.NMI)) == 0) {
            sb.append("process ");
        }
        if ((ctx & Ctx.HARDIRQS_OFF) != 0) {
            sb.append("irqs-off ");
        }
        if ((ctx & Ctx.SOFTIRQS_OFF) != 0) {
            sb.append("bh-off ");
        }
        return sb.substring(0, sb.length() - 1);
    }

    /** A non-negative int of at most 9 digits, or -1. */
    private static int small(String s) {
        return (int) digits(s, 9);
    }

    /** A non-negative decimal of at most {@code max} digits, or -1. */
    private static long digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A field as an error message quotes it: at most 40 characters, control characters as '?'. */
    private static String clip(String s) {
        String t = s.length() <= 40 ? s : s.substring(0, 40) + "...";
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
