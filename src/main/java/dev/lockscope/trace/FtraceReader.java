package dev.lockscope.trace;

import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads ftrace text ({@code /sys/kernel/tracing/trace} or {@code trace_pipe}) and feeds lock
 * events to an {@link EventSink} in one streaming pass.
 *
 * <p>Line layout (kernel/trace/trace_output.c): {@code <comm>-<pid> [(<tgid>)] [<cpu>] [<flags>]
 * <secs>.<usecs>: <event>: <payload>}. The comm may hold spaces, dashes, slashes, colons and
 * brackets, so the task is split at the last {@code -<digits>} before the {@code [cpu]} field.
 * The flags column is 4 characters before 5.15, 5 from 5.15, and absent with irq-info off; its
 * first character gives irqs-off/BH-off, its third the hardirq/softirq/NMI context.
 *
 * <p>The parser works on bytes in a reused buffer: no regular expression, no String per field,
 * no boxing. Names are interned from the buffer and allocate only the first time they appear.
 */
public final class FtraceReader {
    /** Lines longer than this are skipped as malformed (whatever their content). */
    public static final int MAX_LINE = 1 << 20;

    private final String source;
    private final Tasks tasks;
    private final ByteSymbols classes;
    private final EventSink sink;
    private final ReadStats stats;
    private final Problems problems;

    private final boolean wholeTrace;
    private byte[] buf = new byte[1 << 20];
    /** CPUs of the ring buffer (#P:N), and which have produced an event so far. */
    private int cpus = -1;
    private long cpusSeen;
    private boolean waitingForAllCpus;
    private long lineNo;

    // fields of the line being parsed
    private int pos;
    private int end;
    private String error;

    public FtraceReader(String source, Tasks tasks, ByteSymbols classes, EventSink sink, ReadStats stats,
                        Problems problems) {
        this(source, tasks, classes, sink, stats, problems, false);
    }

    /**
     * @param wholeTrace analyse from the first line even when the header shows an overwritten
     *                   ring buffer (see {@link ReadStats#eventsBeforeWindow})
     */
    public FtraceReader(String source, Tasks tasks, ByteSymbols classes, EventSink sink, ReadStats stats,
                        Problems problems, boolean wholeTrace) {
        this.wholeTrace = wholeTrace;
        this.source = source;
        this.tasks = tasks;
        this.classes = classes;
        this.sink = sink;
        this.stats = stats;
        this.problems = problems;
    }

    /** Reads the whole stream. */
    public void read(InputStream in) throws IOException, TraceFormatException {
        int start = 0;
        int filled = 0;
        boolean skippingLong = false;
        while (true) {
            if (start > 0 && start == filled) {
                start = 0;
                filled = 0;
            } else if (filled == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    start = 0;
                } else {
                    // a line fills the whole buffer: it is too long; skip to its end
                    if (!skippingLong) {
                        lineNo++;
                        stats.lines++;
                        reject("line longer than " + MAX_LINE + " bytes");
                        skippingLong = true;
                    }
                    filled = 0;
                }
            }
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                break;
            }
            stats.bytes += n;
            int scanFrom = filled;
            filled += n;
            for (int i = scanFrom; i < filled; i++) {
                if (buf[i] == '\n') {
                    if (skippingLong) {
                        skippingLong = false;
                    } else {
                        lineNo++;
                        stats.lines++;
                        parseLine(start, i);
                    }
                    start = i + 1;
                }
            }
        }
        if (start < filled && !skippingLong) {
            lineNo++;
            stats.lines++;
            parseLine(start, filled);
        }
    }

    private void reject(String reason) throws TraceFormatException {
        stats.malformed(reason);
        problems.malformed(source, lineNo, reason);
    }

    private void parseLine(int s, int e) throws TraceFormatException {
        if (e > s && buf[e - 1] == '\r') {
            e--;
        }
        int p = s;
        if (p < e && buf[p] == '\t') {
            // continuation of a multi-line payload (trace_marker text with newlines)
            stats.skipped("continuation line of a multi-line event");
            return;
        }
        while (p < e && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        if (p == e) {
            stats.blankLines++;
            return;
        }
        if (buf[p] == '#') {
            stats.headerLines++;
            header(p, e);
            return;
        }
        if (startsWith(p, e, "CPU:")) {
            if (lost(p + 4, e)) {
                return;
            }
        }
        error = null;
        if (!event(p, e)) {
            reject(error);
        }
    }

    /** {@code # entries-in-buffer/entries-written: 28709/28709   #P:2}. */
    private void header(int p, int e) {
        int k = indexOf(p, e, "entries-in-buffer/entries-written:");
        if (k < 0) {
            return;
        }
        pos = k + "entries-in-buffer/entries-written:".length();
        end = e;
        skipSpaces();
        long a = number();
        if (a >= 0 && pos < end && buf[pos] == '/') {
            pos++;
            long b = number();
            if (b >= 0) {
                stats.entriesInBuffer = a;
                stats.entriesWritten = b;
            }
        }
        int k2 = indexOf(pos, e, "#P:");
        if (k2 >= 0) {
            pos = k2 + 3;
            long n = number();
            if (n > 0 && n <= 64) {
                cpus = (int) n;
            }
        }
        // An overwritten ring buffer keeps the newest events of each CPU, so each CPU's part of
        // the trace begins at a different time, without a LOST marker: a task that ran on a CPU
        // whose part has not begun yet lost events. Held stacks are only trustworthy once every
        // CPU's part has begun.
        waitingForAllCpus = !wholeTrace && cpus > 1 && stats.entriesWritten > stats.entriesInBuffer;
    }

    /** {@code CPU:1 [LOST 123 EVENTS]} or {@code CPU:1 [LOST EVENTS]}. */
    private boolean lost(int p, int e) throws TraceFormatException {
        pos = p;
        end = e;
        long cpu = number();
        if (cpu < 0) {
            return false;
        }
        skipSpaces();
        if (!startsWith(pos, end, "[LOST")) {
            return false;
        }
        pos += 5;
        skipSpaces();
        long count = number();
        sink.lostEvents((int) cpu, Math.max(count, 0), lineNo);
        return true;
    }

    private boolean event(int p, int e) {
        end = e;
        // --- comm-pid [tgid] [cpu]
        int lb = -1;
        int dash = -1;
        int pid = -1;
        for (int q = p; q < e; q++) {
            if (buf[q] != '[') {
                continue;
            }
            int r = q + 1;
            while (r < e && buf[r] >= '0' && buf[r] <= '9') {
                r++;
            }
            if (r == q + 1 || r >= e || buf[r] != ']') {
                continue;
            }
            // before '[': spaces, optional "(tgid)" or "(-------)", spaces, then -<digits>
            int b = q - 1;
            while (b >= p && buf[b] == ' ') {
                b--;
            }
            if (b >= p && buf[b] == ')') {
                while (b >= p && buf[b] != '(') {
                    b--;
                }
                b--;
                while (b >= p && buf[b] == ' ') {
                    b--;
                }
            }
            int digitsEnd = b + 1;
            while (b >= p && buf[b] >= '0' && buf[b] <= '9') {
                b--;
            }
            if (b + 1 == digitsEnd || b < p || buf[b] != '-') {
                continue;
            }
            dash = b;
            pid = (int) parseDecimal(b + 1, digitsEnd);
            lb = q;
            break;
        }
        if (lb < 0) {
            error = "not an ftrace event line (no '<comm>-<pid> [<cpu>]')";
            return false;
        }
        if (pid < 0) {
            error = "bad pid";
            return false;
        }
        pos = lb + 1;
        long cpu = number();
        pos++; // ']'
        skipSpaces();
        // --- flags (optional) and timestamp
        int tokStart = pos;
        int tokEnd = tokenEnd();
        int ctx = Ctx.PROCESS;
        if (tokEnd == tokStart) {
            error = "missing timestamp";
            return false;
        }
        if (buf[tokEnd - 1] != ':') {
            int len = tokEnd - tokStart;
            if (len < 4 || len > 6) {
                error = "bad flags column";
                return false;
            }
            for (int q = tokStart; q < tokEnd; q++) {
                if (FLAG_CHARS.indexOf(buf[q]) < 0) {
                    error = "bad flags column";
                    return false;
                }
            }
            ctx = Ctx.KNOWN;
            switch (buf[tokStart]) {
                case 'd' -> ctx |= Ctx.HARDIRQS_OFF;
                case 'D' -> ctx |= Ctx.HARDIRQS_OFF | Ctx.SOFTIRQS_OFF;
                case 'b' -> ctx |= Ctx.SOFTIRQS_OFF;
                case '.', 'X' -> { }
                default -> {
                    error = "bad flags column";
                    return false;
                }
            }
            switch (buf[tokStart + 2]) {
                case 'h' -> ctx |= Ctx.HARDIRQ;
                case 's' -> ctx |= Ctx.SOFTIRQ;
                case 'H' -> ctx |= Ctx.HARDIRQ | Ctx.SOFTIRQ;
                case 'z' -> ctx |= Ctx.NMI;
                case 'Z' -> ctx |= Ctx.NMI | Ctx.HARDIRQ;
                case '.' -> { }
                default -> {
                    error = "bad flags column";
                    return false;
                }
            }
            pos = tokEnd;
            skipSpaces();
            tokStart = pos;
            tokEnd = tokenEnd();
            if (tokEnd == tokStart || buf[tokEnd - 1] != ':') {
                error = "missing timestamp";
                return false;
            }
        }
        long ts = timestamp(tokStart, tokEnd - 1);
        if (ts < 0) {
            error = "bad timestamp";
            return false;
        }
        pos = tokEnd;
        skipSpaces();
        // --- event name
        int nameStart = pos;
        while (pos < end && buf[pos] != ':' && buf[pos] != ' ') {
            pos++;
        }
        int nameEnd = pos;
        if (nameEnd == nameStart || pos >= end || buf[pos] != ':') {
            error = "missing event name";
            return false;
        }
        pos++;
        int kind = lockEventKind(nameStart, nameEnd);
        if (kind < 0) {
            stats.otherEvent(buf, nameStart, nameEnd - nameStart);
            return true;
        }
        skipSpaces();
        // --- payload: ADDR [try ][read ]NAME
        long addr = address();
        if (addr == -1 && error != null) {
            return false;
        }
        skipSpaces();
        boolean trylock = false;
        boolean read = false;
        if (kind == ACQUIRE) {
            if (startsWith(pos, end, "try ")) {
                trylock = true;
                pos += 4;
            }
            if (startsWith(pos, end, "read ")) {
                read = true;
                pos += 5;
            }
        }
        int ls = pos;
        int le = end;
        while (le > ls && buf[le - 1] == ' ') {
            le--;
        }
        if (le == ls) {
            error = "missing lock name";
            return false;
        }
        int cls = classes.intern(buf, ls, le - ls);
        if (waitingForAllCpus) {
            if (cpu < 64) {
                cpusSeen |= 1L << cpu;
            }
            if (Long.bitCount(cpusSeen) < cpus) {
                stats.eventsBeforeWindow++;
                return true;
            }
            waitingForAllCpus = false;
            stats.windowStartLine = lineNo;
        }
        int task = tasks.task(pid, (int) cpu, buf, skipLeading(p, dash), dash - skipLeading(p, dash));
        stats.lockEvents++;
        switch (kind) {
            case ACQUIRE -> sink.acquire(task, (int) cpu, ctx, ts, lineNo, addr, cls, trylock, read);
            case RELEASE -> sink.release(task, (int) cpu, ctx, ts, lineNo, addr, cls);
            case CONTENDED -> sink.contended(task, (int) cpu, ctx, ts, lineNo, addr, cls);
            default -> sink.acquired(task, (int) cpu, ctx, ts, lineNo, addr, cls);
        }
        return true;
    }

    /** Characters the flags column can hold (irqs-off, need-resched, irq context, preempt and migrate depth). */
    private static final String FLAG_CHARS = ".dDbXNnpLlBhsHzZ0123456789abcdef";
    private static final int ACQUIRE = 0;
    private static final int RELEASE = 1;
    private static final int CONTENDED = 2;
    private static final int ACQUIRED = 3;

    private int lockEventKind(int s, int e) {
        int len = e - s;
        if (len < 12 || buf[s] != 'l' || !startsWith(s, e, "lock_")) {
            return -1;
        }
        if (len == 12 && startsWith(s, e, "lock_acquire")) {
            return ACQUIRE;
        }
        if (len == 12 && startsWith(s, e, "lock_release")) {
            return RELEASE;
        }
        if (len == 13 && startsWith(s, e, "lock_acquired")) {
            return ACQUIRED;
        }
        if (len == 14 && startsWith(s, e, "lock_contended")) {
            return CONTENDED;
        }
        return -1;
    }

    /** A hex address with or without 0x; {@code (____ptrval____)} (pointer not yet hashable) reads as 0, unknown. */
    private long address() {
        int s = pos;
        if (pos < end && buf[pos] == '(') {
            while (pos < end && buf[pos] != ' ') {
                pos++;
            }
            return 0;
        }
        if (pos + 1 < end && buf[pos] == '0' && (buf[pos + 1] == 'x' || buf[pos + 1] == 'X')) {
            pos += 2;
        }
        long v = 0;
        int digits = 0;
        while (pos < end && buf[pos] != ' ') {
            int d = Character.digit(buf[pos], 16);
            if (d < 0 || ++digits > 16) {
                error = "bad lock address";
                pos = s;
                return -1;
            }
            v = (v << 4) | d;
            pos++;
        }
        if (digits == 0) {
            error = "bad lock address";
            return -1;
        }
        return v;
    }

    /** secs.frac (any number of fraction digits, scaled to ns) or a raw counter. */
    private long timestamp(int s, int e) {
        long secs = 0;
        int p = s;
        if (p == e) {
            return -1;
        }
        while (p < e && buf[p] >= '0' && buf[p] <= '9') {
            secs = secs * 10 + (buf[p] - '0');
            p++;
        }
        if (p == e) {
            return secs;
        }
        if (buf[p] != '.') {
            return -1;
        }
        p++;
        long frac = 0;
        int digits = 0;
        while (p < e && buf[p] >= '0' && buf[p] <= '9') {
            if (digits < 9) {
                frac = frac * 10 + (buf[p] - '0');
                digits++;
            }
            p++;
        }
        if (p != e || digits == 0) {
            return -1;
        }
        for (int d = digits; d < 9; d++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }

    private int tokenEnd() {
        int q = pos;
        while (q < end && buf[q] != ' ') {
            q++;
        }
        return q;
    }

    private void skipSpaces() {
        while (pos < end && buf[pos] == ' ') {
            pos++;
        }
    }

    private int skipLeading(int p, int e) {
        while (p < e && buf[p] == ' ') {
            p++;
        }
        return p;
    }

    private long number() {
        int s = pos;
        long v = 0;
        while (pos < end && buf[pos] >= '0' && buf[pos] <= '9' && pos - s < 18) {
            v = v * 10 + (buf[pos] - '0');
            pos++;
        }
        return pos == s ? -1 : v;
    }

    private long parseDecimal(int s, int e) {
        if (e - s > 9) {
            return -1;
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            v = v * 10 + (buf[i] - '0');
        }
        return v;
    }

    private boolean startsWith(int p, int e, String lit) {
        if (e - p < lit.length()) {
            return false;
        }
        for (int i = 0; i < lit.length(); i++) {
            if (buf[p + i] != lit.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(int p, int e, String lit) {
        for (int i = p; i + lit.length() <= e; i++) {
            if (startsWith(i, e, lit)) {
                return i;
            }
        }
        return -1;
    }
}
