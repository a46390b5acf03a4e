package dev.lockscope.trace;

import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;

/**
 * Reads {@code perf script} output of the lock tracepoints ({@code perf record -e 'lock:*' -g}):
 * <pre>
 *  kworker/u4:2   173 [001]  7.065071: lock:lock_acquire: 0xffffffffc01d93f0 lockinv_mutex_a
 *          ffffffff810f0d5e lock_acquire+0xde ([kernel.kallsyms])
 * </pre>
 * The task is {@code COMM TID} or {@code COMM PID/TID} (the comm may hold spaces), then
 * {@code [CPU]}, the time, an optional sample period, and the event with or without its
 * {@code lock:} subsystem. The payload is the tracepoint's own text: {@code ADDR [try ][read ]NAME}.
 * Indented lines under an event are its callchain and are counted, not analysed. perf prints
 * no irq flags, so the irq context is unknown (as in ftrace without the flags column).
 */
public final class PerfScriptReader extends LineReader {
    private final LockPayload payload = new LockPayload();
    private boolean inEvent;

    public PerfScriptReader(String source, Tasks tasks, ByteSymbols classes, EventSink sink, ReadStats stats,
                            Problems problems) {
        super(source, tasks, classes, sink, stats, problems);
    }

    @Override
    void line(byte[] b, int s, int e) throws TraceFormatException {
        int p = skipBlanks(b, s, e);
        if (p == e) {
            stats.blankLines++;
            inEvent = false;
            return;
        }
        if (b[p] == '#') {
            stats.headerLines++;
            return;
        }
        if (p > s && inEvent && hexWord(b, p, e)) {
            stats.skipped("callchain line");
            return;
        }
        inEvent = false;
        e = trimRight(b, p, e);
        // [cpu]: the first "[digits]" preceded by " digits" or " digits/digits"
        int lb = -1;
        int pidStart = -1;
        int tid = -1;
        for (int q = p; q < e && lb < 0; q++) {
            if (b[q] != '[') {
                continue;
            }
            int r = q + 1;
            while (r < e && isDigit(b[r])) {
                r++;
            }
            if (r == q + 1 || r >= e || b[r] != ']' || r - q > 7) {
                continue;
            }
            int k = q - 1;
            while (k >= p && b[k] == ' ') {
                k--;
            }
            int end = k + 1;
            while (k >= p && (isDigit(b[k]) || b[k] == '/')) {
                k--;
            }
            if (k + 1 == end || k < p || b[k] != ' ' || end - k - 1 > 19) {
                continue;
            }
            int slash = k + 1;
            for (int d = k + 1; d < end; d++) {
                if (b[d] == '/') {
                    slash = d + 1;
                }
            }
            if (slash == end) {
                continue;
            }
            long v = 0;
            for (int d = slash; d < end; d++) {
                if (!isDigit(b[d])) {
                    v = -1;
                    break;
                }
                v = v * 10 + (b[d] - '0');
            }
            if (v < 0 || v > Integer.MAX_VALUE) {
                continue;
            }
            tid = (int) v;
            pidStart = k;
            lb = q;
        }
        if (lb < 0) {
            reject("not a perf script event line (no 'COMM TID [CPU]')");
            return;
        }
        int commEnd = trimRight(b, p, pidStart);
        int q = lb + 1;
        int cpu = 0;
        while (b[q] != ']') {
            cpu = cpu * 10 + (b[q++] - '0');
        }
        q = skipBlanks(b, q + 1, e);
        int ts = q;
        while (q < e && b[q] != ' ' && b[q] != ':') {
            q++;
        }
        long time = Timestamps.parse(b, ts, q);
        if (q >= e || b[q] != ':' || time < 0) {
            reject("bad timestamp");
            return;
        }
        q = skipBlanks(b, q + 1, e);
        // optional sample period
        int w = q;
        while (w < e && isDigit(b[w])) {
            w++;
        }
        if (w > q && w < e && b[w] == ' ') {
            q = skipBlanks(b, w, e);
        }
        int nameStart = q;
        while (q < e && b[q] != ' ') {
            q++;
        }
        if (q == nameStart || b[q - 1] != ':') {
            reject("missing event name");
            return;
        }
        int nameEnd = q - 1;
        int kind = LockPayload.kind(b, nameStart, nameEnd);
        if (kind < 0) {
            stats.otherEvent(b, nameStart, nameEnd - nameStart);
            inEvent = true;
            return;
        }
        LockPayload pl = payload.parse(b, skipBlanks(b, q, e), e, kind == LockPayload.ACQUIRE);
        if (pl.error != null) {
            reject(pl.error);
            return;
        }
        inEvent = true;
        stats.lockEvents++;
        int task = tasks.task(tid, cpu, b, p, commEnd - p);
        int cls = classes.intern(b, pl.nameStart, pl.nameEnd - pl.nameStart);
        LockPayload.deliver(sink, kind, task, cpu, Ctx.PROCESS, time, lineNo, pl.addr, cls, pl.trylock, pl.read);
    }

    /** A callchain line starts with a hex address followed by a space. */
    private static boolean hexWord(byte[] b, int p, int e) {
        int q = p;
        while (q < e && LockPayload.hexDigit(b[q]) >= 0) {
            q++;
        }
        return q > p && (q == e || b[q] == ' ');
    }
}
