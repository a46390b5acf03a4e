package dev.lockscope.trace;

import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.StackSource;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import dev.lockscope.util.IntList;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

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
public final class FtraceReader extends LineReader implements StackSource {
    private final boolean wholeTrace;
    /** CPUs of the ring buffer (#P:N), and which have produced an event so far. */
    private int cpus = -1;
    private long cpusSeen;
    private boolean waitingForAllCpus;

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
        super(source, tasks, classes, sink, stats, problems);
        this.wholeTrace = wholeTrace;
        this.mmap = new MmapLockEvents(this, stats);
        this.glocks = new GlockEvents(classes);
    }

    @Override
    void line(byte[] b, int s, int e) throws TraceFormatException {
        parseLine(s, e);
    }

    /** The batch goes to the sink once per buffer fill (keeping the last event while its stack may follow). */
    @Override
    void bufferDone() {
        flush(true);
    }

    @Override
    void end() {
        flush(false);
    }

    private void parseLine(int s, int e) throws TraceFormatException {
        if (layColon > 0) {
            int q = guidedHeader(buf, s, e);
            if (q >= 0) {
                error = null;
                if (!body(buf, q, e)) {
                    reject(error);
                }
                return;
            }
        }
        int p = s;
        if (p < e && buf[p] == '\t') {
            // continuation of a multi-line payload (trace_marker text with newlines)
            stats.skipped("continuation line of a multi-line event");
            return;
        }
        p = skipBlanks(buf, p, e);
        if (p == e) {
            stats.blankLines++;
            return;
        }
        if (buf[p] == '=' && p + 1 < e && buf[p + 1] == '>') {
            frame(p, e);
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
        curCpu = (int) cpu;
        curCtx = 0;
        curTs = 0;
        emit(LOST, 0, Math.max(count, 0), 0);
        stackTarget = -1;
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
            if (pidEndingAt(b, p, k)) {
                return q;
            }
        }
        return -1;
    }

    /**
     * Whether b[..k] ends in {@code -digits} (one to nine digits, the '-' at or after p): then
     * foundDash and foundPid are set.
     */
    private boolean pidEndingAt(byte[] b, int p, int k) {
        int digitsEnd = k + 1;
        while (k >= p && DIGIT[b[k] & 0xff]) {
            k--;
        }
        if (k + 1 == digitsEnd || k < p || b[k] != '-' || digitsEnd - k - 1 > 9) {
            return false;
        }
        int pid = 0;
        for (int d = k + 1; d < digitsEnd; d++) {
            pid = pid * 10 + (b[d] - '0');
        }
        foundDash = k;
        foundPid = pid;
        return true;
    }

    /** Column of the last line's [cpu] field: lines of one trace put it in the same place. */
    private int cpuColumn = -1;
    private int foundDash;
    private int foundPid;

    private boolean event(int s, int p, int e) {
        final byte[] b = buf;
        int q = header(b, s, p, e);
        if (q < 0) {
            return false;
        }
        return body(b, q, e);
    }

    /**
     * The general parse of {@code comm-pid [tgid] [cpu] [flags] secs.frac:} (any layout); sets
     * curP..curTs and returns where the event name starts, or -1 with {@link #error} set. A line
     * in the standard layout teaches {@link #guidedHeader} the columns.
     */
    private int header(byte[] b, int s, int p, int e) {
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
            return -1;
        }
        int q = lb + 1;
        int cpu;
        int rb = skipDigits(b, q, e);
        if (rb - q > 6) {
            error = "bad cpu";
            return -1;
        }
        cpu = (int) decimal(b, q, rb);
        q = rb;
        q++;
        q = skipSpaces(b, q, e);
        // --- flags (optional) and timestamp
        int tokStart = q;
        q = token(b, q, e);
        int tokEnd = q;
        int ctx = Ctx.PROCESS;
        int flagsStart = tokStart;
        int flagsEnd = tokStart;
        if (tokEnd == tokStart) {
            error = "missing timestamp";
            return -1;
        }
        if (b[tokEnd - 1] != ':') {
            int len = tokEnd - tokStart;
            ctx = len < 4 || len > 6 || notFlag ? -1 : flagsContext(b, tokStart);
            if (ctx < 0) {
                error = "bad flags column";
                return -1;
            }
            flagsEnd = tokEnd;
            q = skipSpaces(b, q, e);
            tokStart = q;
            q = token(b, q, e);
            tokEnd = q;
            if (tokEnd == tokStart || b[tokEnd - 1] != ':') {
                error = "missing timestamp";
                return -1;
            }
        }
        long ts = timestamp(tokStart, tokEnd - 1);
        if (ts < 0) {
            error = "bad timestamp";
            return -1;
        }
        learnLayout(s, lb, rb, flagsEnd - flagsStart, tokEnd - 1);
        q = skipSpaces(b, q, e);
        current(-1, p, dash, pid, cpu, ctx, ts);
        return q;
    }

    /**
     * The context a flags column at f gives (lockdep-reference.md §4.1): its first character
     * irqs-off/BH-off, its third hardirq/softirq/NMI; -1 for a character that cannot be there.
     */
    private static int flagsContext(byte[] b, int f) {
        int ctx = Ctx.KNOWN;
        switch (b[f]) {
            case 'd' -> ctx |= Ctx.HARDIRQS_OFF;
            case 'D' -> ctx |= Ctx.HARDIRQS_OFF | Ctx.SOFTIRQS_OFF;
            case 'b' -> ctx |= Ctx.SOFTIRQS_OFF;
            case '.', 'X' -> { }
            default -> {
                return -1;
            }
        }
        switch (b[f + 2]) {
            case 'h' -> ctx |= Ctx.HARDIRQ;
            case 's' -> ctx |= Ctx.SOFTIRQ;
            case 'H' -> ctx |= Ctx.HARDIRQ | Ctx.SOFTIRQ;
            case 'z' -> ctx |= Ctx.NMI;
            case 'Z' -> ctx |= Ctx.NMI | Ctx.HARDIRQ;
            case '.' -> { }
            default -> {
                return -1;
            }
        }
        return ctx;
    }

    // The layout of the last line the general parse read, relative to the line start: lines of
    // one trace put every column in the same place (comm padded to 16, pid to 7, the timestamp
    // right-aligned), so the next line is first read at those columns and every byte checked.
    /** Column of '[' of the cpu field, and the cpu's digits. */
    private int layLb;
    private int layCpuDigits;
    /** Width of the flags column (0: irq-info off), which starts two after ']'. */
    private int layFlags;
    /** Column of the timestamp's ':' (six fraction digits before it), or 0: no guided reading. */
    private int layColon;
    /** Off: every line takes the general parse (GuidedReadingTest compares the two). */
    private boolean guided = true;
    /** Lines read at the learned columns. */
    long guidedLines;
    /** Of those, lines read whole before their end was known ({@link #wholeLine}). */
    long wholeLines;

    /** Reads every line with the general parse only (for tests that compare the two). */
    FtraceReader generalOnly() {
        guided = false;
        return this;
    }

    private void learnLayout(int s, int lb, int rb, int flags, int colon) {
        boolean standard = guided && colon - 7 > rb && buf[colon - 7] == '.' && rb - lb - 1 <= 6
                && (flags == 0 || buf[rb + 1] == ' ' && buf[rb + 2] != ' ');
        if (!standard) {
            layColon = 0;
            return;
        }
        layLb = lb - s;
        layCpuDigits = rb - lb - 1;
        layFlags = flags;
        layColon = colon - s;
    }

    /**
     * Reads {@code comm-pid [cpu] flags secs.frac:} at the learned columns: the same fields,
     * checks and results as {@link #header}, or -1 when anything differs (then parseLine reads
     * the line the general way). Returns where the event name starts.
     *
     * <p>What repeats is not parsed again. Each CPU's lines come from the task running there, so
     * the bytes before {@code [cpu]} are compared with that CPU's previous line (a few word
     * compares; 99 % equal in real traces) and its pid, comm and task are reused. The seconds
     * are compared with the previous line's, the flags looked up by their bytes, and the six
     * fraction digits converted as one word.
     */
    private int guidedHeader(byte[] b, int s, int e) {
        int lb = s + layLb;
        int rb = lb + 1 + layCpuDigits;
        int colon = s + layColon;
        int cpu = colon + 2 >= e ? -1 : cpuAtColumns(b, s);
        if (cpu < 0) {
            return -1;
        }
        int m = cpu < MEMO_CPUS && layLb <= MEMO_WIDTH ? cpu : -1;
        int p;
        int dash;
        int pid;
        if (m >= 0 && memoLen[m] == layLb && ByteSymbols.sameBytes(b, s, memo, m * MEMO_WIDTH, layLb)) {
            p = s + memoP[m];
            dash = s + memoDash[m];
            pid = memoPid[m];
        } else {
            p = commPid(b, s, lb, e);
            if (p < 0) {
                return -1;
            }
            dash = foundDash;
            pid = foundPid;
            if (m >= 0) {
                System.arraycopy(b, s, memo, m * MEMO_WIDTH, layLb);
                memoLen[m] = layLb;
                memoP[m] = p - s;
                memoDash[m] = dash - s;
                memoPid[m] = pid;
                memoVersion[m] = -1;
            }
        }
        // flags
        int f = rb + 2;
        int ctx = Ctx.PROCESS;
        if (layFlags > 0) {
            if (b[rb + 1] != ' ' || b[f + layFlags] != ' ' || f + 8 > e) {
                return -1;
            }
            ctx = flagsAt(b, f);
            if (ctx < 0) {
                return -1;
            }
            f += layFlags;
        } else {
            f = rb + 1;
        }
        // secs.frac: six fraction digits before the colon, the seconds before the dot
        long frac = sixDigits(b, colon - 6);
        if (frac < 0) {
            return -1;
        }
        int dot = colon - 7;
        long secs;
        long word = secondsWord(b, f, dot);
        if (word != 0 && word == secsWord) {
            secs = secsValue;
        } else {
            secs = seconds(b, f, dot);
            if (secs < 0) {
                return -1;
            }
            secsWord = word;
            secsValue = secs;
        }
        current(m, p, dash, pid, cpu, ctx, secs * 1_000_000_000L + frac * 1000);
        guidedLines++;
        return skipSpaces(b, colon + 1, e);
    }

    /**
     * The common line read whole, before its end is known: a lock event of a CPU whose previous
     * line had the same bytes before {@code [cpu]} (its task known), with flags, seconds and
     * address bytes seen before and a name that ends the line. Its end is found by scanning from
     * the name on, not the whole line. Every byte before the name is checked against what an
     * earlier line proved (so none is a '\n'); anything else returns -1 and the line takes
     * {@link #parseLine}, which reads it the same way ({@code GuidedReadingTest} compares the two).
     */
    @Override
    int wholeLine(int s, int filled) {
        if (layColon <= 0 || !lockdepSeen || waitingForAllCpus) {
            return -1;
        }
        final byte[] b = buf;
        int lb = s + layLb;
        int rb = lb + 1 + layCpuDigits;
        int colon = s + layColon;
        int q = colon + 2;
        // room for "lock_contended: ", sixteen digits, a space and "try read "
        int cpu = q + 16 + 17 + 9 >= filled ? -1 : cpuAtColumns(b, s);
        if (cpu < 0 || cpu >= MEMO_CPUS || memoLen[cpu] != layLb || memoVersion[cpu] != tasks.version()
                || !ByteSymbols.sameBytes(b, s, memo, cpu * MEMO_WIDTH, layLb)) {
            return -1;
        }
        int f = rb + 1;
        int ctx = Ctx.PROCESS;
        if (layFlags > 0) {
            f = rb + 2;
            if (b[rb + 1] != ' ' || b[f + layFlags] != ' ') {
                return -1;
            }
            ctx = flagsAt(b, f);
            if (ctx < 0) {
                return -1;
            }
            f += layFlags;
        }
        long word = secondsWord(b, f, colon - 7);
        if (word == 0 || word != secsWord) {
            return -1;
        }
        long frac = sixDigits(b, colon - 6);
        int kind = frac < 0 ? -1 : lockEventAt(b, q, filled);
        if (kind < 0 || b[nameEnd + 1] != ' ') {
            return -1;
        }
        int a = nameEnd + 2;
        long w0 = (long) LONGS.get(b, a);
        long w1 = (long) LONGS.get(b, a + 8);
        int slot = addressSlot(w0, w1);
        if (addrW0[slot] != w0 || addrW1[slot] != w1 || b[a + 16] != ' ') {
            return -1;
        }
        q = a + 17;
        int bits = kind == ACQUIRE ? tryRead(b, q, filled) : 0;
        q += tryReadLength(bits);
        if (b[q] == ' ') {
            return -1;
        }
        int cls = addrClass[slot];
        int nl = cls < 0 ? filled : q + classes.length(cls);
        if (nl >= filled || b[nl] != '\n' || b[nl - 1] == '\r' || !classes.equalsAt(cls, b, q, nl - q)) {
            // not the name this address was last read with, right up to the newline (a name may
            // end in '\r' only when the line ended in two: the general path strips one)
            nl = indexOfNewline(b, q, filled);
            if (nl < 0) {
                return -1;
            }
            int e = nl > s && b[nl - 1] == '\r' ? nl - 1 : nl;
            int le = trimSpaces(b, q, e);
            if (le == q) {
                return -1;
            }
            cls = classAt(slot, b, q, le);
        }
        countLine();
        current(cpu, s + memoP[cpu], s + memoDash[cpu], memoPid[cpu], cpu, ctx,
                secsValue * 1_000_000_000L + frac * 1000);
        guidedLines++;
        wholeLines++;
        stats.lockEvents++;
        emit(kind | bits, memoTask[cpu], addrValue[slot], cls);
        return nl + 1;
    }

    /**
     * The cpu of the line at s if its '[', ']', the timestamp's '.', ':' and the space after it
     * are at the learned columns, else -1.
     */
    private int cpuAtColumns(byte[] b, int s) {
        int lb = s + layLb;
        int rb = lb + 1 + layCpuDigits;
        int colon = s + layColon;
        if (b[lb] != '[' || b[rb] != ']' || b[colon] != ':' || b[colon + 1] != ' ' || b[colon - 7] != '.') {
            return -1;
        }
        int cpu = 0;
        for (int i = lb + 1; i < rb; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            cpu = cpu * 10 + d;
        }
        return cpu;
    }

    /**
     * The comm-pid of a line whose '[' of the cpu field is at lb: where the comm starts (after
     * the padding), with foundDash and foundPid set; -1 if it is not one, or if the line is one
     * parseLine treats apart (continuation, stack frame, comment, lost-events marker).
     */
    private int commPid(byte[] b, int s, int lb, int e) {
        if (b[s] == '\t') {
            return -1;
        }
        int p = skipBlanks(b, s, lb);
        if (p >= lb) {
            return -1;
        }
        byte c = b[p];
        if (c == '#' || c == '=' && b[p + 1] == '>' || c == 'C' && startsWith(p, e, "CPU:")) {
            return -1;
        }
        // pid: digits after the last '-' before the spaces in front of '['
        int k = lb - 1;
        while (k >= p && b[k] == ' ') {
            k--;
        }
        return pidEndingAt(b, p, k) ? p : -1;
    }

    /** The context of the flags column at f (its bytes looked up first), or -1 if it is not one. */
    private int flagsAt(byte[] b, int f) {
        long key = flagsKey(b, f);
        int h = flagsSlot(key);
        if (flagKey[h] == key) {
            return flagCtx[h];
        }
        for (int i = f; i < f + layFlags; i++) {
            if (!FLAG[b[i] & 0xff]) {
                return -1;
            }
        }
        int ctx = flagsContext(b, f);
        if (ctx >= 0) {
            flagKey[h] = key;
            flagCtx[h] = ctx;
        }
        return ctx;
    }

    /** The flags column at f as a word (reads b[f..f+8)). */
    private long flagsKey(byte[] b, int f) {
        return (long) LONGS.get(b, f) & (-1L >>> (64 - 8 * layFlags));
    }

    private static int flagsSlot(long key) {
        return (int) ((key * 0x9e3779b97f4a7c15L) >>> 58);
    }

    /**
     * The seconds field b[f..dot) as a word: the eight bytes before the dot, those before f
     * shifted out. 0 (no word) when it is empty, wider than eight bytes, or the eight would start
     * before the buffer. Fields of different widths give different words (their bytes are never
     * 0 once proved to be spaces and digits), so a remembered word is never 0.
     */
    private static long secondsWord(byte[] b, int f, int dot) {
        int width = dot - f;
        return width > 0 && width <= 8 && dot >= 8 ? (long) LONGS.get(b, dot - 8) >>> (64 - 8 * width) : 0;
    }

    /** The seconds in b[f..dot): at least one space, then 1 to 10 digits below 9e9; -1 otherwise. */
    private static long seconds(byte[] b, int f, int dot) {
        int j = dot - 1;
        long secs = 0;
        for (long mul = 1; j >= f && b[j] >= '0' && b[j] <= '9'; j--, mul *= 10) {
            secs += (b[j] - '0') * mul;
        }
        if (j == dot - 1 || dot - 1 - j > 10 || secs >= 9_000_000_000L || j < f) {
            return -1;
        }
        for (int i = f; i <= j; i++) {
            if (b[i] != ' ') {
                return -1;
            }
        }
        return secs;
    }

    /**
     * The six decimal digits at b[i..i+6) as a number, or -1 if one is not a digit; reads
     * b[i..i+8). One word: the digits shifted up behind two '0's are read as eight digits.
     */
    static long sixDigits(byte[] b, int i) {
        long w = ((long) LONGS.get(b, i) << 16) | 0x3030L;
        if ((w & 0xf0f0f0f0f0f0f0f0L) != 0x3030303030303030L
                || ((w + 0x0606060606060606L) & 0xf0f0f0f0f0f0f0f0L) != 0x3030303030303030L) {
            return -1;
        }
        long v = w - 0x3030303030303030L;
        v = v * 10 + (v >>> 8);
        return (((v & 0x000000ff000000ffL) * (100 + (1000000L << 32)))
                + (((v >>> 16) & 0x000000ff000000ffL) * (1 + (10000L << 32)))) >>> 32;
    }

    // What guidedHeader remembers. Per CPU (below MEMO_CPUS): the bytes before its last line's
    // [cpu] field, where comm and dash were in them, the pid, and the task with the Tasks
    // version it was looked up at (-1: not looked up yet).
    private static final int MEMO_CPUS = 64;
    private static final int MEMO_WIDTH = 64;
    private final byte[] memo = new byte[MEMO_CPUS * MEMO_WIDTH];
    private final int[] memoLen = new int[MEMO_CPUS];
    private final int[] memoP = new int[MEMO_CPUS];
    private final int[] memoDash = new int[MEMO_CPUS];
    private final int[] memoPid = new int[MEMO_CPUS];
    private final int[] memoTask = new int[MEMO_CPUS];
    private final int[] memoVersion = new int[MEMO_CPUS];
    /** The memo slot of the current line, or -1. */
    private int curMemo = -1;
    /** The last seconds field (padding and digits) as a word (0: none), and its value. */
    private long secsWord;
    private long secsValue;
    /** Flags columns seen, by their bytes (a key of -1 never matches: keys are at most six bytes). */
    private final long[] flagKey = filled(64, -1L);
    private final int[] flagCtx = new int[64];

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** The event name and payload at q. */
    private boolean body(byte[] b, int q, int e) {
        // --- event name
        if (q < e && b[q] == '<') {
            // "<stack trace>" / "<user stack trace>": the => lines that follow belong to the event before
            stackMarker();
            return true;
        }
        int nameStart = q;
        int kind = lockEventAt(b, q, e);
        if (kind >= 0) {
            q = nameEnd;
            if (!lockdepSeen) {
                lockdepSeen = true;
                mmap.lockdepSeen();
            }
        } else {
            q = skipToColonOrSpace(b, q, e);
            if (q == nameStart || q >= e || b[q] != ':') {
                error = "missing event name";
                return false;
            }
            kind = eventKind(nameStart, q);
        }
        q++;
        if (kind < 0) {
            stats.otherEvent(b, nameStart, q - 1 - nameStart);
            stackTarget = -1;
            return true;
        }
        q = skipSpaces(b, q, e);
        if (kind > ACQUIRED) {
            return otherLockEvent(kind, q, e);
        }
        // --- payload: ADDR [try ][read ]NAME
        long addr = 0;
        int slot = -1;
        if (q < e && b[q] == '(') {
            // (____ptrval____): pointer printed before the hash key was ready; the instance is unknown
            q = skipToSpace(b, q, e);
        } else {
            q = skip0x(b, q, e);
            if (q + 16 < e && b[q + 16] == ' ') {
                // sixteen digits, as a 64-bit kernel prints %p: the same bytes as a recent line, the same address
                long w0 = (long) LONGS.get(b, q);
                long w1 = (long) LONGS.get(b, q + 8);
                slot = addressSlot(w0, w1);
                if (addrW0[slot] == w0 && addrW1[slot] == w1) {
                    addr = addrValue[slot];
                    q += 16;
                } else {
                    q = address(b, q, e);
                    if (q < 0) {
                        return false;
                    }
                    addr = hexValue;
                    addrW0[slot] = w0;
                    addrW1[slot] = w1;
                    addrValue[slot] = addr;
                    addrClass[slot] = -1;
                }
            } else {
                q = address(b, q, e);
                if (q < 0) {
                    return false;
                }
                addr = hexValue;
            }
        }
        return afterAddress(b, q, e, kind, addr, slot);
    }

    /** Past a {@code 0x} or {@code 0X} prefix at q, if there is one. */
    private static int skip0x(byte[] b, int q, int e) {
        return q + 1 < e && b[q] == '0' && (b[q + 1] == 'x' || b[q + 1] == 'X') ? q + 2 : q;
    }

    /** Hex digits from q up to a space, one to sixteen: returns their end with hexValue set, or -1 with error set. */
    private int address(byte[] b, int q, int e) {
        int hexEnd = hexToSpace(b, q, e);
        int digits = hexEnd - q;
        if (digits > 16 || hexBad || digits == 0) {
            error = "bad lock address";
            return -1;
        }
        return hexEnd;
    }

    /**
     * The rest of a lock event after its address: {@code [try ][read ]NAME}. The name is first
     * compared with the class last seen at the address's memo slot, and hashed only if it differs.
     */
    private boolean afterAddress(byte[] b, int q, int e, int kind, long addr, int slot) {
        q = skipSpaces(b, q, e);
        int bits = kind == ACQUIRE ? tryRead(b, q, e) : 0;
        q += tryReadLength(bits);
        int le = trimSpaces(b, q, e);
        if (le == q) {
            error = "missing lock name";
            return false;
        }
        int cls = classAt(slot, b, q, le);
        if (!admit()) {
            return true;
        }
        int task = currentTask();
        stats.lockEvents++;
        emit(kind | bits, task, addr, cls);
        return true;
    }

    /** TRY_BIT and READ_BIT for the words {@code try } and {@code read } at q (in that order) before e. */
    private static int tryRead(byte[] b, int q, int e) {
        int bits = 0;
        if (q + 4 <= e && b[q] == 't' && b[q + 1] == 'r' && b[q + 2] == 'y' && b[q + 3] == ' ') {
            bits = TRY_BIT;
            q += 4;
        }
        if (q + 5 <= e && b[q] == 'r' && b[q + 1] == 'e' && b[q + 2] == 'a' && b[q + 3] == 'd' && b[q + 4] == ' ') {
            bits |= READ_BIT;
        }
        return bits;
    }

    private static int tryReadLength(int bits) {
        return ((bits & TRY_BIT) != 0 ? 4 : 0) + ((bits & READ_BIT) != 0 ? 5 : 0);
    }

    /**
     * The class named by b[q..le): the one last named at address memo slot {@code slot} (-1: no
     * slot) if the bytes agree, else the interned name, then remembered at the slot.
     */
    private int classAt(int slot, byte[] b, int q, int le) {
        int cls = slot >= 0 ? addrClass[slot] : -1;
        if (cls >= 0 && classes.equalsAt(cls, b, q, le - q)) {
            return cls;
        }
        cls = classes.intern(b, q, le - q);
        if (slot >= 0) {
            addrClass[slot] = cls;
        }
        return cls;
    }

    private static int addressSlot(long w0, long w1) {
        return (int) (((w0 * 0x9e3779b97f4a7c15L) ^ (w1 * 0xc2b2ae3d27d4eb4fL)) >>> (64 - ADDR_MEMO_BITS));
    }

    // The lock addresses of recent lines, direct-mapped by their sixteen digits: the digits as
    // two words (never zero: they are ASCII), the value, and the class last named with it (-1: none yet).
    private static final int ADDR_MEMO_BITS = 12;
    private final long[] addrW0 = new long[1 << ADDR_MEMO_BITS];
    private final long[] addrW1 = new long[1 << ADDR_MEMO_BITS];
    private final long[] addrValue = new long[1 << ADDR_MEMO_BITS];
    private final int[] addrClass = new int[1 << ADDR_MEMO_BITS];

    /** Sets the fields of the line being parsed, as each way of reading a header found them. */
    private void current(int memoSlot, int p, int dash, int pid, int cpu, int ctx, long ts) {
        curMemo = memoSlot;
        curP = p;
        curDash = dash;
        curPid = pid;
        curCpu = cpu;
        curCtx = ctx;
        curTs = ts;
    }

    // fields of the line being parsed, for the handlers of the less frequent events
    private int curP;
    private int curDash;
    private int curPid;
    private int curCpu;
    private int curCtx;
    private long curTs;

    /** False (and counted) while an overwritten ring buffer has not yet begun on every CPU. */
    private boolean admit() {
        if (waitingForAllCpus) {
            if (curCpu < 64) {
                cpusSeen |= 1L << curCpu;
            }
            if (Long.bitCount(cpusSeen) < cpus) {
                stats.eventsBeforeWindow++;
                return false;
            }
            waitingForAllCpus = false;
            stats.windowStartLine = lineNo;
        }
        return true;
    }

    private int currentTask() {
        int m = curMemo;
        if (m >= 0 && memoVersion[m] == tasks.version()) {
            return memoTask[m];
        }
        int commStart = skipSpaces(buf, curP, curDash);
        int t = tasks.task(curPid, curCpu, buf, commStart, curDash - commStart);
        if (m >= 0) {
            memoTask[m] = t;
            memoVersion[m] = tasks.version();
        }
        return t;
    }

    /** Appends one event of the current line to the batch; {@code cls} doubles as flags for contention events. */
    void emit(int kind, int task, long addr, int cls) {
        emitAt(kind, task, addr, cls, lineNo, curTs);
    }

    void emitAt(int kind, int task, long addr, int cls, long line, long ts) {
        int n = batched;
        bKind[n] = (byte) kind;
        bTask[n] = task;
        bCpu[n] = curCpu;
        bCtx[n] = curCtx;
        bTime[n] = ts;
        bLine[n] = line;
        bAddr[n] = addr;
        bCls[n] = cls;
        stackStart[n] = frames.size();
        stackLen[n] = 0;
        stackTarget = n;
        if ((batched = n + 1) == BATCH) {
            flush(true);
        }
    }

    // Parsed events wait in a small batch and reach the sink from flush(): the parser and the
    // engine then compile and run as two tight loops instead of one huge method.
    private static final int BATCH = 4096;
    private static final int TRY_BIT = 8;
    private static final int READ_BIT = 16;
    private static final int LOST = 7;
    private static final int NOP = 6;
    /** An event made from mmap_lock_* before it is known whether the kernel has lockdep. */
    private static final int PROVISIONAL = 64;
    private int batched;
    private final byte[] bKind = new byte[BATCH];
    private final int[] bTask = new int[BATCH];
    private final int[] bCpu = new int[BATCH];
    private final int[] bCtx = new int[BATCH];
    private final long[] bTime = new long[BATCH];
    private final long[] bLine = new long[BATCH];
    private final long[] bAddr = new long[BATCH];
    private final int[] bCls = new int[BATCH];

    /**
     * Hands the batch to the sink. With {@code keepLast}, when the trace carries stack traces,
     * the last event stays behind: its {@code =>} lines may still be unread.
     */
    private void flush(boolean keepLast) {
        mmap.decideProduction();
        int n = batched;
        boolean carry = keepLast && sawStacks && n > 0;
        int upTo = carry ? n - 1 : n;
        long t0 = System.nanoTime();
        for (int i = 0; i < upTo; i++) {
            dispatch(i);
        }
        flushing = -1;
        stats.engineNanos += System.nanoTime() - t0;
        if (carry) {
            int last = n - 1;
            int from = stackStart[last];
            int len = stackLen[last];
            bKind[0] = bKind[last];
            bTask[0] = bTask[last];
            bCpu[0] = bCpu[last];
            bCtx[0] = bCtx[last];
            bTime[0] = bTime[last];
            bLine[0] = bLine[last];
            bAddr[0] = bAddr[last];
            bCls[0] = bCls[last];
            for (int j = 0; j < len; j++) {
                frames.set(j, frames.get(from + j));
            }
            frames.truncate(len);
            stackStart[0] = 0;
            stackLen[0] = len;
            stackTarget = stackTarget == last ? 0 : -1;
            batched = 1;
        } else {
            frames.truncate(0);
            stackTarget = -1;
            batched = 0;
        }
    }

    // ---------------------------------------------------------------- stack traces

    /**
     * Hands batch entry i to the sink. A method of its own, called per event, so the JIT compiles
     * it (with the engine inlined) on invocation counts: flush runs once per batch, and after a
     * deoptimisation its loop would otherwise run interpreted until on-stack replacement.
     */
    private void dispatch(int i) {
        final EventSink s = sink;
        int k = bKind[i];
        flushing = i;
        switch (k & 7) {
            case ACQUIRE -> s.acquire(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i],
                    (k & TRY_BIT) != 0, (k & READ_BIT) != 0);
            case RELEASE -> s.release(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i]);
            case CONTENDED -> s.contended(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i]);
            case ACQUIRED -> s.acquired(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i]);
            case K_CONTENTION -> {
                if ((k & TRY_BIT) == 0) {
                    s.contentionBegin(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i],
                            bCls[i] & 0xffff, (bCls[i] >> 16) - 1);
                } else {
                    s.contentionEnd(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i]);
                }
            }
            case K_DEMOTE -> s.remoteDemote(bTask[i], bCpu[i], bCtx[i], bTime[i], bLine[i], bAddr[i], bCls[i]);
            case NOP -> { }
            default -> s.lostEvents(bCpu[i], bAddr[i], bLine[i]);
        }
    }

    /** Frames of the events in the batch (ftrace's stacktrace option), as interned symbols. */
    private final IntList frames = new IntList(4096);
    private final int[] stackStart = new int[BATCH];
    private final int[] stackLen = new int[BATCH];
    private final ByteSymbols frameNames = new ByteSymbols();
    /** The batch index the next {@code =>} line belongs to, or -1. */
    private int stackTarget = -1;
    private int flushing = -1;
    private boolean sawStacks;

    private void stackMarker() {
        stats.skipped("stack trace markers");
        sawStacks = true;
    }

    /** A {@code  => function+off/len} line: one frame of the previous event's stack. */
    private void frame(int p, int e) {
        stats.skipped("stack trace frames");
        sawStacks = true;
        if (stackTarget < 0) {
            return;
        }
        int q = skipSpaces(buf, p + 2, e);
        int le = trimSpaces(buf, q, e);
        if (le > q) {
            frames.add(frameNames.intern(buf, q, le - q));
            stackLen[stackTarget]++;
        }
    }

    /**
     * The stack of the event at {@code line} while the sink handles it (during a flush), innermost
     * frame first as ftrace prints it; empty when the trace has none.
     */
    @Override
    public List<String> stackAt(long line) {
        int i = flushing;
        if (i < 0 || bLine[i] != line || stackLen[i] == 0) {
            return List.of();
        }
        String[] out = new String[stackLen[i]];
        for (int j = 0; j < out.length; j++) {
            out[j] = frameNames.name(frames.get(stackStart[i] + j));
        }
        return List.of(out);
    }

    // ---------------------------------------------------------------- events beyond lock_*

    private static final int K_CONTENTION = 4;
    private static final int K_DEMOTE = 5;
    private static final int E_CONTENTION_BEGIN = 10;
    private static final int E_CONTENTION_END = 11;
    private static final int E_MMAP_START = 12;
    private static final int E_MMAP_RETURNED = 13;
    private static final int E_MMAP_RELEASED = 14;
    private static final int E_GLOCK_QUEUE = 15;
    private static final int E_GLOCK_PROMOTE = 16;
    private static final int E_GLOCK_DEMOTE = 17;

    private static final byte[][] OTHER_NAMES = {
        ascii("contention_begin"), ascii("contention_end"), ascii("mmap_lock_start_locking"),
        ascii("mmap_lock_acquire_returned"), ascii("mmap_lock_released"), ascii("gfs2_glock_queue"),
        ascii("gfs2_promote"), ascii("gfs2_demote_rq"),
    };

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private boolean lockdepSeen;
    private int mmapClass = -1;

    private int mmapClass() {
        if (mmapClass < 0) {
            mmapClass = classes.intern("&mm->mmap_lock");
        }
        return mmapClass;
    }
    private MmapLockEvents mmap;
    private GlockEvents glocks;

    /** The kind of an event other than the four lock_* ones (which {@link #lockEventAt} knows), or -1. */
    private int eventKind(int s, int e) {
        byte c = buf[s];
        if (c != 'c' && c != 'm' && c != 'g') {
            return -1;
        }
        for (int i = 0; i < OTHER_NAMES.length; i++) {
            byte[] n = OTHER_NAMES[i];
            if (n.length == e - s && java.util.Arrays.equals(buf, s, e, n, 0, n.length)) {
                stats.used.count(buf, s, e - s);
                return E_CONTENTION_BEGIN + i;
            }
        }
        return -1;
    }

    private boolean otherLockEvent(int kind, int q, int e) {
        return switch (kind) {
            case E_CONTENTION_BEGIN, E_CONTENTION_END -> contention(kind, q, e);
            case E_MMAP_START, E_MMAP_RETURNED, E_MMAP_RELEASED -> mmapLock(kind, q, e);
            default -> glock(kind, q, e);
        };
    }

    /** {@code ADDR (flags=SPIN|MUTEX)} or {@code ADDR (ret=0)}. */
    private boolean contention(int kind, int q, int e) {
        final byte[] b = buf;
        int ae = address(b, skip0x(b, q, e), e);
        if (ae < 0) {
            return false;
        }
        long addr = hexValue;
        int flags = 0;
        if (kind == E_CONTENTION_BEGIN) {
            int f = indexOf(ae, e, "(flags=");
            if (f < 0) {
                error = "contention_begin without (flags=...)";
                return false;
            }
            f += 7;
            while (f < e && b[f] != ')') {
                int t = f;
                while (t < e && b[t] != '|' && b[t] != ')') {
                    t++;
                }
                flags |= flagBit(f, t);
                f = t < e && b[t] == '|' ? t + 1 : t;
            }
        }
        if (!admit()) {
            return true;
        }
        int task = currentTask();
        if (kind == E_CONTENTION_BEGIN) {
            int hint = mmap.pending(task) ? mmapClass() : -1;
            emit(K_CONTENTION, task, addr, (flags & 0xffff) | ((hint + 1) << 16));
        } else {
            emit(K_CONTENTION | TRY_BIT, task, addr, 0);
        }
        return true;
    }

    /** contention_begin's flag names, bit 0 first (include/trace/events/lock.h). */
    private static final String[] FLAG_NAMES = {"SPIN", "READ", "WRITE", "RT", "PERCPU", "MUTEX"};

    private int flagBit(int s, int e) {
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            String name = FLAG_NAMES[i];
            if (e - s == name.length() && startsWith(s, e, name)) {
                return 1 << i;
            }
        }
        if (e - s > 2 && buf[s] == '0' && buf[s + 1] == 'x' && e - s <= 10 && hexDigits(buf, s + 2, e)) {
            return (int) hex(buf, s + 2, e);
        }
        return 0;
    }

    /** {@code mm=ADDR memcg_path=/ write=true [success=true]} (or memcg_id=N on newer kernels). */
    private boolean mmapLock(int kind, int q, int e) {
        final byte[] b = buf;
        if (!startsWith(q, e, "mm=")) {
            error = "mmap_lock event without mm=";
            return false;
        }
        int a = q + 3;
        if (a + 1 < e && b[a] == '0' && b[a + 1] == 'x') {
            a += 2;
        }
        int ae = address(b, a, e);
        if (ae < 0) {
            error = "bad mm address";
            return false;
        }
        long mm = hexValue;
        int w = indexOf(ae, e, " write=");
        if (w < 0) {
            error = "mmap_lock event without write=";
            return false;
        }
        boolean write = startsWith(w + 7, e, "true");
        boolean success = true;
        if (kind == E_MMAP_RETURNED) {
            int su = indexOf(w, e, " success=");
            if (su < 0) {
                error = "mmap_lock_acquire_returned without success=";
                return false;
            }
            success = startsWith(su + 9, e, "true");
        }
        if (!admit()) {
            return true;
        }
        int task = currentTask();
        int k = kind == E_MMAP_START ? MmapLockEvents.START
                : kind == E_MMAP_RETURNED ? MmapLockEvents.RETURNED : MmapLockEvents.RELEASED;
        mmap.event(k, task, mm, write, success, lineNo, curTs);
        return true;
    }

    void mmapAcquire(int task, long mm, boolean read, boolean trylock, long line, long ts) {
        emitMmap(ACQUIRE | (trylock ? TRY_BIT : 0) | (read ? READ_BIT : 0), task, mm, line, ts);
    }

    void mmapAcquired(int task, long mm, long line, long ts) {
        emitMmap(ACQUIRED, task, mm, line, ts);
    }

    void mmapRelease(int task, long mm, long line, long ts) {
        emitMmap(RELEASE, task, mm, line, ts);
    }

    private void emitMmap(int kind, int task, long mm, long line, long ts) {
        stats.lockEvents++;
        emitAt(kind | (mmap.provisional() ? PROVISIONAL : 0), task, mm, mmapClass(), line, ts);
    }

    /** The kernel has lockdep after all: provisional mmap_lock events in the batch were duplicates. */
    int dropProvisional() {
        int n = 0;
        for (int i = 0; i < batched; i++) {
            if ((bKind[i] & PROVISIONAL) != 0) {
                bKind[i] = NOP;
                n++;
            }
        }
        stats.lockEvents -= n;
        return n;
    }

    /** {@code 7,1 glock 2:4394 queue EX | dequeue EX | promote EX [first] | demote EX to NL flags:.. remote}. */
    private boolean glock(int kind, int q, int e) {
        final byte[] b = buf;
        int m = skipDigits(b, q, e);
        if (m == q || m >= e || b[m] != ',') {
            error = "bad gfs2 device";
            return false;
        }
        long major = decimal(b, q, m);
        int n = skipDigits(b, m + 1, e);
        long minor = decimal(b, m + 1, n);
        if (!startsWith(n, e, " glock ")) {
            error = "bad gfs2 glock event";
            return false;
        }
        int t = n + 7;
        int te = skipDigits(b, t, e);
        if (te == t || te >= e || b[te] != ':' || te - t > 2) {
            error = "bad glock type:number";
            return false;
        }
        int type = (int) decimal(b, t, te);
        int ne = skipDigits(b, te + 1, e);
        if (ne == te + 1 || ne - te - 1 > 18) {
            error = "bad glock type:number";
            return false;
        }
        long number = decimal(b, te + 1, ne);
        int v = skipSpaces(b, ne, e);
        int ve = skipToSpace(b, v, e);
        int st = skipSpaces(b, ve, e);
        int se = skipToSpace(b, st, e);
        if (se - st != 2) {
            error = "bad glock state";
            return false;
        }
        // PR (shared) is a read; EX, and CW (deferred: conflicts with both), are exclusive
        boolean shared = b[st] == 'P' && b[st + 1] == 'R';
        long addr = GlockEvents.address(major, minor, type, number);
        int cls = glocks.classOf(type);
        if (!admit()) {
            return true;
        }
        if (GlockEvents.objectHeld(type) && kind != E_GLOCK_DEMOTE) {
            stats.glockObjectHolds++;
            return true;
        }
        int task = currentTask();
        if (kind == E_GLOCK_QUEUE) {
            if (startsWith(v, ve, "queue") && ve - v == 5) {
                glocks.queued(task, addr, shared);
                stats.lockEvents++;
                emit(ACQUIRE | (shared ? READ_BIT : 0), task, addr, cls);
            } else if (startsWith(v, ve, "dequeue") && ve - v == 7) {
                glocks.dequeued(task, addr);
                stats.lockEvents++;
                emit(RELEASE, task, addr, cls);
            } else {
                error = "bad gfs2_glock_queue verb";
                return false;
            }
        } else if (kind == E_GLOCK_PROMOTE) {
            int holder = glocks.promoted(addr, shared);
            if (holder < 0) {
                stats.glockPromotesUnmatched++;
            } else {
                stats.lockEvents++;
                emit(ACQUIRED, holder, addr, cls);
            }
        } else {
            int r = trimSpaces(b, q, e);
            if (r - 6 >= q && startsWith(r - 6, r, "remote")) {
                emit(K_DEMOTE, task, addr, cls);
            }
        }
        return true;
    }

    // Small loop helpers: event() itself has no loops, so the JIT compiles it once instead of
    // on-stack-replacing each of its loops in turn.

    // results of token(), hexToSpace() and lockEventAt()
    private boolean notFlag;
    private long hexValue;
    private boolean hexBad;
    private int nameEnd;

    /**
     * Skips the flags or timestamp token at q (up to a space); notFlag says whether a character
     * of it cannot be in a flags column.
     */
    private int token(byte[] b, int q, int e) {
        boolean bad = false;
        while (q < e && b[q] != ' ') {
            bad |= !FLAG[b[q] & 0xff];
            q++;
        }
        notFlag = bad;
        return q;
    }

    /** Hex digits from q up to a space: the value in hexValue, hexBad if a character is not a hex digit. */
    private int hexToSpace(byte[] b, int q, int e) {
        long v = 0;
        int bad = 0;
        while (q < e && b[q] != ' ') {
            int h = HEX[b[q] & 0xff];
            bad |= h;
            v = (v << 4) | (h & 0xf);
            q++;
        }
        hexValue = v;
        hexBad = bad < 0;
        return q;
    }

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long W_LOCK_ACQ = (long) LONGS.get(ascii("lock_acq"), 0);
    private static final long W_LOCK_REL = (long) LONGS.get(ascii("lock_rel"), 0);
    private static final long W_LOCK_CON = (long) LONGS.get(ascii("lock_con"), 0);
    private static final int I_UIRE = (int) INTS.get(ascii("uire"), 0);
    private static final int I_EASE = (int) INTS.get(ascii("ease"), 0);
    private static final int I_TEND = (int) INTS.get(ascii("tend"), 0);

    /**
     * The lock event named at q ({@code lock_acquire:}, {@code lock_release:},
     * {@code lock_acquired:}, {@code lock_contended:}), compared a word at a time, with nameEnd
     * at its colon; -1 for any other name.
     */
    private int lockEventAt(byte[] b, int q, int e) {
        if (q + 13 > e) {
            return -1;
        }
        long w = (long) LONGS.get(b, q);
        int t = (int) INTS.get(b, q + 8);
        if (w == W_LOCK_ACQ && t == I_UIRE) {
            if (b[q + 12] == ':') {
                nameEnd = q + 12;
                return ACQUIRE;
            }
            if (b[q + 12] == 'd' && q + 13 < e && b[q + 13] == ':') {
                nameEnd = q + 13;
                return ACQUIRED;
            }
        } else if (w == W_LOCK_REL && t == I_EASE && b[q + 12] == ':') {
            nameEnd = q + 12;
            return RELEASE;
        } else if (w == W_LOCK_CON && t == I_TEND && q + 15 <= e && b[q + 12] == 'e' && b[q + 13] == 'd'
                && b[q + 14] == ':') {
            nameEnd = q + 14;
            return CONTENDED;
        }
        return -1;
    }

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

    private static int trimSpaces(byte[] b, int q, int e) {
        while (e > q && b[e - 1] == ' ') {
            e--;
        }
        return e;
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
