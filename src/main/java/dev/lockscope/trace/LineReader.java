package dev.lockscope.trace;

import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits a stream into lines in one reused buffer and hands each to {@link #line}; the base of
 * the line-oriented readers. A line longer than {@link #MAX_LINE} bytes is rejected as
 * malformed and skipped to its end without being buffered whole.
 */
abstract class LineReader implements TraceReader {
    /** Lines longer than this are skipped as malformed (whatever their content). */
    public static final int MAX_LINE = 1 << 20;

    final String source;
    final Tasks tasks;
    final ByteSymbols classes;
    final EventSink sink;
    final ReadStats stats;
    final Problems problems;
    long lineNo;
    /**
     * Reads of at least 64 KiB into a 128 KiB buffer: the bytes just read are still in the CPU's
     * cache when they are parsed (1 MiB reads cost the ftrace reader 0.5 s per GB). Grows for a
     * long line, up to MAX_LINE.
     */
    byte[] buf = new byte[1 << 17];
    private static final int MIN_READ = 1 << 16;

    LineReader(String source, Tasks tasks, ByteSymbols classes, EventSink sink, ReadStats stats, Problems problems) {
        this.source = source;
        this.tasks = tasks;
        this.classes = classes;
        this.sink = sink;
        this.stats = stats;
        this.problems = problems;
    }

    /** Counts a line that is blank (from p on) or a {@code #} comment, and says whether it was. */
    final boolean blankOrComment(byte[] b, int p, int e) {
        if (p == e) {
            stats.blankLines++;
            return true;
        }
        if (b[p] == '#') {
            stats.headerLines++;
            return true;
        }
        return false;
    }

    /** One line, without its '\n' (a trailing '\r' is removed too). */
    abstract void line(byte[] b, int s, int e) throws TraceFormatException, InputProblem;

    /**
     * A reader's fast path for the line starting at buf[s], before its end is known: it may read
     * the whole line (up to and with its '\n', which must lie before {@code filled}) exactly as
     * {@link #line} would, count it, and return the index after the '\n'; or return -1, having
     * changed nothing, and the line is split off and handed to line() as usual.
     */
    int wholeLine(int s, int filled) throws TraceFormatException, InputProblem {
        return -1;
    }

    /** Counts a line, whichever path reads it. */
    final void countLine() {
        lineNo++;
        stats.lines++;
    }

    /** Called once after the last line. */
    void end() throws TraceFormatException, InputProblem {
    }

    final void reject(String reason) throws TraceFormatException {
        stats.malformed(reason);
        problems.malformed(source, lineNo, reason);
    }

    /** Called after the lines of each buffer fill were handed to {@link #line}. */
    void bufferDone() {
    }

    @Override
    public final void read(InputStream in) throws IOException, TraceFormatException, InputProblem {
        int start = 0;
        int filled = 0;
        boolean skippingLong = false;
        while (true) {
            if (start > 0 && start == filled) {
                start = 0;
                filled = 0;
            } else if (buf.length - filled < MIN_READ) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    start = 0;
                } else if (buf.length < MAX_LINE) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
                } else if (filled == buf.length) {
                    // the line fills the whole buffer: it is too long; skip to its end
                    if (!skippingLong) {
                        countLine();
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
                int nl = indexOfNewline(buf, scanFrom, filled);
                if (nl < 0) {
                    continue;
                }
                skippingLong = false;
                start = nl + 1;
                scanFrom = start;
            }
            start = lines(start, scanFrom, filled);
            bufferDone();
        }
        if (start < filled && !skippingLong) {
            emit(start, filled);
        }
        end();
    }

    /**
     * Hands every complete line in buf[start..filled) to {@link #line}, scanning for newlines
     * from scanFrom; returns where the incomplete last line starts. A method of its own, called
     * once per buffer fill, so the JIT compiles it whole instead of on-stack-replacing a loop
     * that never returns.
     */
    private int lines(int start, int scanFrom, int filled) throws TraceFormatException, InputProblem {
        int i = scanFrom;
        while (true) {
            if (i == start) {
                int next = wholeLine(start, filled);
                if (next >= 0) {
                    start = next;
                    i = next;
                    continue;
                }
            }
            int nl = indexOfNewline(buf, i, filled);
            if (nl < 0) {
                return start;
            }
            emit(start, nl);
            start = nl + 1;
            i = start;
        }
    }

    private void emit(int s, int e) throws TraceFormatException, InputProblem {
        countLine();
        if (e > s && buf[e - 1] == '\r') {
            e--;
        }
        line(buf, s, e);
    }

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The next '\n' in b[from..to), eight bytes a step (SWAR zero-byte test), or -1. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                break; // the first '\n' is one of these eight bytes (found below without a bit scan, which C1 does not intrinsify)
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- small byte helpers

    /** Past spaces and tabs from q: spaces eight at a time (ftrace pads its comm column with them), then byte by byte. */
    static int skipBlanks(byte[] b, int q, int e) {
        while (q + 8 <= e) {
            long x = (long) LONGS.get(b, q) ^ 0x2020202020202020L;
            if (x != 0) {
                q += Long.numberOfTrailingZeros(x) >>> 3;
                break;
            }
            q += 8;
        }
        while (q < e && (b[q] == ' ' || b[q] == '\t')) {
            q++;
        }
        return q;
    }

    static int trimRight(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        return e;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
