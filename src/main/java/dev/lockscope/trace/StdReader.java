package dev.lockscope.trace;

import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;

/**
 * Reads the STD format of deadlock-prediction research (RAPID): one event per line,
 * {@code THREAD|OP(ARG)|LOC}, e.g. {@code T1|acq(l1)|23}.
 *
 * <ul>
 *   <li>{@code acq(L)}/{@code rel(L)}: exclusive acquire and release of lock L. Each lock name
 *       is both an instance and a class (STD has no classes).</li>
 *   <li>{@code r(V)}/{@code w(V)}: memory accesses, counted as other events and ignored.</li>
 *   <li>{@code req(L)}: the lock-request extension (a thread asks for L before it gets it):
 *       counted, not analysed; the following {@code acq} makes the dependencies.</li>
 *   <li>{@code fork(T)}/{@code join(T)}: thread order, passed to the sink.</li>
 * </ul>
 * STD has no timestamps or CPUs: the order of lines is the order of events, so the line number
 * serves as the time (in nanoseconds) and every event is on CPU 0 in process context.
 * {@code LOC} (a program location) is optional and not used.
 */
public final class StdReader extends LineReader {
    private final ByteSymbols threads = new ByteSymbols();
    private final ByteSymbols locks = new ByteSymbols();

    public StdReader(String source, Tasks tasks, ByteSymbols classes, EventSink sink, ReadStats stats,
                     Problems problems) {
        super(source, tasks, classes, sink, stats, problems);
    }

    @Override
    void line(byte[] b, int s, int e) throws TraceFormatException {
        int p = skipBlanks(b, s, e);
        e = trimRight(b, p, e);
        if (blankOrComment(b, p, e)) {
            return;
        }
        int bar = indexOf(b, p, e, (byte) '|');
        if (bar <= p) {
            reject(bar < 0 ? "not an STD event (expected THREAD|OP(ARG)|LOC)" : "missing thread name");
            return;
        }
        int opStart = bar + 1;
        int open = indexOf(b, opStart, e, (byte) '(');
        int bar2 = indexOf(b, opStart, e, (byte) '|');
        int opEnd = bar2 < 0 ? e : bar2;
        if (open < 0 || open > opEnd) {
            reject("missing '(' after the operation");
            return;
        }
        int close = opEnd - 1;
        if (b[close] != ')') {
            reject("missing ')' after the argument");
            return;
        }
        if (close == open + 1) {
            reject("empty argument");
            return;
        }
        if (bar2 >= 0 && indexOf(b, bar2 + 1, e, (byte) '|') >= 0) {
            reject("too many '|' fields");
            return;
        }
        int task = task(b, p, bar);
        long t = lineNo;
        int op = open - opStart;
        if (op == 3 && b[opStart] == 'a' && b[opStart + 1] == 'c' && b[opStart + 2] == 'q') {
            stats.lockEvents++;
            sink.acquire(task, 0, Ctx.PROCESS, t, lineNo, lock(b, open + 1, close), classes.intern(b, open + 1,
                    close - open - 1), false, false);
        } else if (op == 3 && b[opStart] == 'r' && b[opStart + 1] == 'e' && b[opStart + 2] == 'l') {
            stats.lockEvents++;
            sink.release(task, 0, Ctx.PROCESS, t, lineNo, lock(b, open + 1, close), classes.intern(b, open + 1,
                    close - open - 1));
        } else if (op == 1 && (b[opStart] == 'r' || b[opStart] == 'w')) {
            stats.otherEvent(b, opStart, 1);
        } else if (op == 3 && b[opStart] == 'r' && b[opStart + 1] == 'e' && b[opStart + 2] == 'q') {
            stats.otherEvent(b, opStart, 3);
        } else if (op == 4 && b[opStart] == 'f' && b[opStart + 1] == 'o' && b[opStart + 2] == 'r'
                && b[opStart + 3] == 'k') {
            stats.otherEvent(b, opStart, 4);
            sink.fork(task, task(b, open + 1, close), t, lineNo);
        } else if (op == 4 && b[opStart] == 'j' && b[opStart + 1] == 'o' && b[opStart + 2] == 'i'
                && b[opStart + 3] == 'n') {
            stats.otherEvent(b, opStart, 4);
            sink.join(task, task(b, open + 1, close), t, lineNo);
        } else {
            reject("unknown operation (expected acq, rel, r, w, fork, join or req)");
        }
    }

    /** Threads are named, not numbered: the n-th name seen becomes pid n. */
    private int task(byte[] b, int s, int e) {
        int pid = threads.intern(b, s, e - s) + 1;
        return tasks.task(pid, 0, b, s, e - s);
    }

    /** Each lock name is one instance: its address is its number (never 0, which means unknown). */
    private long lock(byte[] b, int s, int e) {
        return locks.intern(b, s, e - s) + 1L;
    }

    private static int indexOf(byte[] b, int s, int e, byte c) {
        for (int i = s; i < e; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
