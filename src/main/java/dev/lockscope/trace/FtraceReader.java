package dev.lockscope.trace;

import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
            } else if (buf.length - filled < (1 << 16)) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    start = 0;
                } else if (filled == buf.length) {
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
            if (skippingLong) {
                int nl = indexOfNewline(scanFrom, filled);
                if (nl < 0) {
                    continue;
                }
                skippingLong = false;
                start = nl + 1;
                scanFrom = start;
            }
            start = lines(start, scanFrom, filled);
        }
        if (start < filled && !skippingLong) {
            lineNo++;
            stats.lines++;
            parseLine(start, filled);
        }
        flush();
    }

    /**
     * Parses every complete line in buf[start..filled), scanning for newlines from scanFrom;
     * returns where the incomplete last line starts. A method of its own, called once per
     * buffer fill, so the JIT compiles it whole instead of on-stack-replacing a loop that never
     * returns.
     */
    private int lines(int start, int scanFrom, int filled) throws TraceFormatException {
        int i = scanFrom;
        while (true) {
            int nl = indexOfNewline(i, filled);
            if (nl < 0) {
                flush();
                return start;
            }
            lineNo++;
            stats.lines++;
            parseLine(start, nl);
            start = nl + 1;
            i = start;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The next '\n' in buf[from..to), eight bytes a step (SWAR zero-byte test), or -1. */
    private int indexOfNewline(int from, int to) {
        final byte[] b = buf;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
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
        if (buf[p] == 'C' && startsWith(p, e, "CPU:")) {
            if (lost(p + 4, e)) {
                return;
            }
        }
        error = null;
        if (!event(s, p, e)) {
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
        int n = batched;
        bKind[n] = LOST;
        bCpu[n] = (int) cpu;
        bAddr[n] = Math.max(count, 0);
        bLine[n] = lineNo;
        if ((batched = n + 1) == BATCH) {
            flush();
        }
        return true;
    }

    /** The first {@code [digits]} at or after {@code from} that follows {@code -digits}, or -1. */
    private int findCpuField(int from, int p, int e) {
        final byte[] b = buf;
        for (int q = from; q < e; q++) {
            if (b[q] != '[') {
                continue;
            }
            int r = q + 1;
            while (r < e && DIGIT[b[r] & 0xff]) {
                r++;
            }
            if (r == q + 1 || r >= e || b[r] != ']') {
                continue;
            }
            int k = q - 1;
            while (k >= p && b[k] == ' ') {
                k--;
            }
            if (k >= p && b[k] == ')') {
                while (k >= p && b[k] != '(') {
                    k--;
                }
                k--;
                while (k >= p && b[k] == ' ') {
                    k--;
                }
            }
            int digitsEnd = k + 1;
            while (k >= p && DIGIT[b[k] & 0xff]) {
                k--;
            }
            if (k + 1 == digitsEnd || k < p || b[k] != '-' || digitsEnd - k - 1 > 9) {
                continue;
            }
            int pid = 0;
            for (int d = k + 1; d < digitsEnd; d++) {
                pid = pid * 10 + (b[d] - '0');
            }
            foundDash = k;
            foundPid = pid;
            return q;
        }
        return -1;
    }

    /** Column of the last line's [cpu] field: lines of one trace put it in the same place. */
    private int cpuColumn = -1;
    private int foundDash;
    private int foundPid;

    private boolean event(int s, int p, int e) {
        final byte[] b = buf;
        end = e;
        // --- comm-pid [tgid] [cpu]: the first "[digits]" preceded by "-digits" (and maybe "(tgid)")
        int lb = -1;
        int guess = s + cpuColumn;
        if (cpuColumn >= 0 && guess > p && guess < e && b[guess] == '[') {
            lb = findCpuField(guess, p, e);
        }
        if (lb < 0) {
            lb = findCpuField(p, p, e);
        }
        if (lb >= 0) {
            cpuColumn = lb - s;
        }
        int dash = foundDash;
        int pid = foundPid;
        if (lb < 0) {
            error = "not an ftrace event line (no '<comm>-<pid> [<cpu>]')";
            return false;
        }
        int q = lb + 1;
        int cpu;
        int rb = skipDigits(b, q, e);
        if (rb - q > 6) {
            error = "bad cpu";
            return false;
        }
        cpu = (int) decimal(b, q, rb);
        q = rb;
        q++;
        q = skipSpaces(b, q, e);
        // --- flags (optional) and timestamp
        int tokStart = q;
        q = skipToSpace(b, q, e);
        int tokEnd = q;
        int ctx = Ctx.PROCESS;
        if (tokEnd == tokStart) {
            error = "missing timestamp";
            return false;
        }
        if (b[tokEnd - 1] != ':') {
            int len = tokEnd - tokStart;
            if (len < 4 || len > 6) {
                error = "bad flags column";
                return false;
            }
            if (!flagChars(b, tokStart, tokEnd)) {
                error = "bad flags column";
                return false;
            }
            ctx = Ctx.KNOWN;
            switch (b[tokStart]) {
                case 'd' -> ctx |= Ctx.HARDIRQS_OFF;
                case 'D' -> ctx |= Ctx.HARDIRQS_OFF | Ctx.SOFTIRQS_OFF;
                case 'b' -> ctx |= Ctx.SOFTIRQS_OFF;
                case '.', 'X' -> { }
                default -> {
                    error = "bad flags column";
                    return false;
                }
            }
            switch (b[tokStart + 2]) {
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
            q = skipSpaces(b, q, e);
            tokStart = q;
            q = skipToSpace(b, q, e);
            tokEnd = q;
            if (tokEnd == tokStart || b[tokEnd - 1] != ':') {
                error = "missing timestamp";
                return false;
            }
        }
        long ts = timestamp(tokStart, tokEnd - 1);
        if (ts < 0) {
            error = "bad timestamp";
            return false;
        }
        q = skipSpaces(b, q, e);
        // --- event name
        int nameStart = q;
        q = skipToColonOrSpace(b, q, e);
        int nameEnd = q;
        if (nameEnd == nameStart || q >= e || b[q] != ':') {
            error = "missing event name";
            return false;
        }
        q++;
        int kind = lockEventKind(nameStart, nameEnd);
        if (kind < 0) {
            stats.otherEvent(b, nameStart, nameEnd - nameStart);
            return true;
        }
        q = skipSpaces(b, q, e);
        // --- payload: ADDR [try ][read ]NAME
        long addr = 0;
        if (q < e && b[q] == '(') {
            // (____ptrval____): pointer printed before the hash key was ready; the instance is unknown
            q = skipToSpace(b, q, e);
        } else {
            if (q + 1 < e && b[q] == '0' && (b[q + 1] == 'x' || b[q + 1] == 'X')) {
                q += 2;
            }
            int hexEnd = skipToSpace(b, q, e);
            int digits = hexEnd - q;
            if (digits > 16 || !hexDigits(b, q, hexEnd)) {
                error = "bad lock address";
                return false;
            }
            addr = hex(b, q, hexEnd);
            q = hexEnd;
            if (digits == 0) {
                error = "bad lock address";
                return false;
            }
        }
        q = skipSpaces(b, q, e);
        boolean trylock = false;
        boolean read = false;
        if (kind == ACQUIRE) {
            if (q + 4 <= e && b[q] == 't' && b[q + 1] == 'r' && b[q + 2] == 'y' && b[q + 3] == ' ') {
                trylock = true;
                q += 4;
            }
            if (q + 5 <= e && b[q] == 'r' && b[q + 1] == 'e' && b[q + 2] == 'a' && b[q + 3] == 'd' && b[q + 4] == ' ') {
                read = true;
                q += 5;
            }
        }
        int le = e;
        le = trimRight(b, q, le);
        if (le == q) {
            error = "missing lock name";
            return false;
        }
        int cls = classes.intern(b, q, le - q);
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
        int commStart = p;
        commStart = skipSpaces(b, commStart, dash);
        int task = tasks.task(pid, cpu, b, commStart, dash - commStart);
        stats.lockEvents++;
        int n = batched;
        bKind[n] = (byte) (kind | (trylock ? TRY_BIT : 0) | (read ? READ_BIT : 0));
        bTask[n] = task;
        bCpu[n] = cpu;
        bCtx[n] = ctx;
        bTime[n] = ts;
        bLine[n] = lineNo;
        bAddr[n] = addr;
        bCls[n] = cls;
        if ((batched = n + 1) == BATCH) {
            flush();
        }
        return true;
    }

    // Parsed events wait in a small batch and reach the sink from flush(): the parser and the
    // engine then compile and run as two tight loops instead of one huge method.
    private static final int BATCH = 4096;
    private static final int TRY_BIT = 8;
    private static final int READ_BIT = 16;
    private static final int LOST = 7;
    private int batched;
    private final byte[] bKind = new byte[BATCH];
    private final int[] bTask = new int[BATCH];
    private final int[] bCpu = new int[BATCH];
    private final int[] bCtx = new int[BATCH];
    private final long[] bTime = new long[BATCH];
    private final long[] bLine = new long[BATCH];
    private final long[] bAddr = new long[BATCH];
    private final int[] bCls = new int[BATCH];

    private void flush() {
        final EventSink s = sink;
        for (int i = 0, n = batched; i < n; i++) {
            int k = bKind[i];
            switch (k & 7) {
                case ACQUIRE -> s.acquire(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i],
                        (k & TRY_BIT) != 0, (k & READ_BIT) != 0);
                case RELEASE -> s.release(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i]);
                case CONTENDED -> s.contended(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i]);
                case ACQUIRED -> s.acquired(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i]);
                default -> s.lostEvents(bCpu[i], bAddr[i], bLine[i]);
            }
        }
        batched = 0;
    }

    // Small loop helpers: event() itself has no loops, so the JIT compiles it once instead of
    // on-stack-replacing each of its loops in turn.

    private static int skipSpaces(byte[] b, int q, int e) {
        while (q < e && b[q] == ' ') {
            q++;
        }
        return q;
    }

    private static int skipToSpace(byte[] b, int q, int e) {
        while (q < e && b[q] != ' ') {
            q++;
        }
        return q;
    }

    private static int skipToColonOrSpace(byte[] b, int q, int e) {
        while (q < e && b[q] != ':' && b[q] != ' ') {
            q++;
        }
        return q;
    }

    private static int skipDigits(byte[] b, int q, int e) {
        while (q < e && DIGIT[b[q] & 0xff]) {
            q++;
        }
        return q;
    }

    private static long decimal(byte[] b, int q, int e) {
        long v = 0;
        for (int i = q; i < e; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static int trimRight(byte[] b, int q, int e) {
        while (e > q && b[e - 1] == ' ') {
            e--;
        }
        return e;
    }

    private static boolean flagChars(byte[] b, int q, int e) {
        for (int i = q; i < e; i++) {
            if (!FLAG[b[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    private static boolean hexDigits(byte[] b, int q, int e) {
        int bad = 0;
        for (int i = q; i < e; i++) {
            bad |= HEX[b[i] & 0xff];
        }
        return bad >= 0;
    }

    private static long hex(byte[] b, int q, int e) {
        long v = 0;
        for (int i = q; i < e; i++) {
            v = (v << 4) | HEX[b[i] & 0xff];
        }
        return v;
    }

    private static final boolean[] DIGIT = new boolean[256];
    private static final boolean[] FLAG = new boolean[256];
    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            DIGIT[c] = true;
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
        for (char c : ".dDbXNnpLlBhsHzZ0123456789abcdef".toCharArray()) {
            FLAG[c] = true;
        }
    }

    private static final int ACQUIRE = 0;
    private static final int RELEASE = 1;
    private static final int CONTENDED = 2;
    private static final int ACQUIRED = 3;

    private static final byte[] LOCK_ACQUIRE = "lock_acquire".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LOCK_RELEASE = "lock_release".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LOCK_ACQUIRED = "lock_acquired".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LOCK_CONTENDED = "lock_contended".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private int lockEventKind(int s, int e) {
        final byte[] b = buf;
        switch (e - s) {
            case 12:
                if (java.util.Arrays.equals(b, s, e, LOCK_ACQUIRE, 0, 12)) {
                    return ACQUIRE;
                }
                return java.util.Arrays.equals(b, s, e, LOCK_RELEASE, 0, 12) ? RELEASE : -1;
            case 13:
                return java.util.Arrays.equals(b, s, e, LOCK_ACQUIRED, 0, 13) ? ACQUIRED : -1;
            case 14:
                return java.util.Arrays.equals(b, s, e, LOCK_CONTENDED, 0, 14) ? CONTENDED : -1;
            default:
                return -1;
        }
    }

    /** secs.frac (any number of fraction digits, scaled to ns) or a raw counter. */
    private long timestamp(int s, int e) {
        return Timestamps.parse(buf, s, e);
    }

    private void skipSpaces() {
        while (pos < end && buf[pos] == ' ') {
            pos++;
        }
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
