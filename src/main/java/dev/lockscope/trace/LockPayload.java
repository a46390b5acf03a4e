package dev.lockscope.trace;

import dev.lockscope.model.EventSink;

/**
 * The text the lock tracepoints print, shared by the readers of perf and CSV-free text formats:
 * event names ({@code lock_acquire}, optionally as {@code lock:lock_acquire}) and the payload
 * {@code ADDR [try ][read ]NAME} (ADDR hex with or without {@code 0x}, or {@code (____ptrval____)}
 * when the kernel's pointer hashing was not ready: the instance is then unknown, 0).
 *
 * <p>{@link #parse} fills the reader's one instance: no allocation per event.
 */
final class LockPayload {
    static final int ACQUIRE = 0;
    static final int RELEASE = 1;
    static final int CONTENDED = 2;
    static final int ACQUIRED = 3;

    long addr;
    boolean trylock;
    boolean read;
    int nameStart;
    int nameEnd;
    String error;


    /** The lock event kind of the name in b[s..e) (with or without "lock:"), or -1. */
    static int kind(byte[] b, int s, int e) {
        if (e - s > 5 && b[s] == 'l' && b[s + 1] == 'o' && b[s + 2] == 'c' && b[s + 3] == 'k' && b[s + 4] == ':') {
            s += 5;
        }
        if (is(b, s, e, "lock_acquire")) {
            return ACQUIRE;
        }
        if (is(b, s, e, "lock_release")) {
            return RELEASE;
        }
        if (is(b, s, e, "lock_contended")) {
            return CONTENDED;
        }
        return is(b, s, e, "lock_acquired") ? ACQUIRED : -1;
    }

    /** Parses {@code ADDR [try ][read ]NAME} in b[q..e); check {@link #error}. */
    LockPayload parse(byte[] b, int q, int e, boolean acquire) {
        LockPayload p = this;
        p.error = null;
        p.addr = 0;
        p.trylock = false;
        p.read = false;
        int w = q;
        while (w < e && b[w] != ' ') {
            w++;
        }
        if (w == q) {
            p.error = "missing lock address";
            return p;
        }
        if (b[q] != '(') {
            int h = q;
            if (w - h > 2 && b[h] == '0' && (b[h + 1] == 'x' || b[h + 1] == 'X')) {
                h += 2;
            }
            if (w - h > 16) {
                p.error = "bad lock address";
                return p;
            }
            long v = 0;
            for (int i = h; i < w; i++) {
                int d = hexDigit(b[i]);
                if (d < 0) {
                    p.error = "bad lock address";
                    return p;
                }
                v = (v << 4) | d;
            }
            p.addr = v;
        }
        q = w;
        while (q < e && b[q] == ' ') {
            q++;
        }
        if (acquire) {
            if (e - q > 4 && b[q] == 't' && b[q + 1] == 'r' && b[q + 2] == 'y' && b[q + 3] == ' ') {
                p.trylock = true;
                q += 4;
            }
            if (e - q > 5 && b[q] == 'r' && b[q + 1] == 'e' && b[q + 2] == 'a' && b[q + 3] == 'd' && b[q + 4] == ' ') {
                p.read = true;
                q += 5;
            }
        }
        while (e > q && b[e - 1] == ' ') {
            e--;
        }
        if (q == e) {
            p.error = "missing lock name";
            return p;
        }
        p.nameStart = q;
        p.nameEnd = e;
        return p;
    }

    static void deliver(EventSink sink, int kind, int task, int cpu, int ctx, long time, long line, long addr, int cls,
                        boolean trylock, boolean read) {
        switch (kind) {
            case ACQUIRE -> sink.acquire(task, cpu, ctx, time, line, addr, cls, trylock, read);
            case RELEASE -> sink.release(task, cpu, ctx, time, line, addr, cls);
            case CONTENDED -> sink.contended(task, cpu, ctx, time, line, addr, cls);
            default -> sink.acquired(task, cpu, ctx, time, line, addr, cls);
        }
    }

    static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean is(byte[] b, int s, int e, String lit) {
        if (e - s != lit.length()) {
            return false;
        }
        for (int i = 0; i < lit.length(); i++) {
            if (b[s + i] != lit.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
