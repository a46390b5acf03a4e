package dev.lockscope.trace;

import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import dev.lockscope.util.ByteSymbols;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into lines in one reused buffer and hands each to {@link #line}; the base of
 * the line-oriented readers other than the ftrace one. A line longer than {@link #MAX_LINE}
 * bytes is rejected as malformed and skipped to its end without being buffered whole.
 */
abstract class LineReader implements TraceReader {
    /** Lines longer than this are skipped as malformed. */
    static final int MAX_LINE = FtraceReader.MAX_LINE;

    final String source;
    final Tasks tasks;
    final ByteSymbols classes;
    final EventSink sink;
    final ReadStats stats;
    final Problems problems;
    long lineNo;
    private byte[] buf = new byte[1 << 16];

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

    /** Called once after the last line. */
    void end() throws TraceFormatException, InputProblem {
    }

    final void reject(String reason) throws TraceFormatException {
        stats.malformed(reason);
        problems.malformed(source, lineNo, reason);
    }

    @Override
    public final void read(InputStream in) throws IOException, TraceFormatException, InputProblem {
        int start = 0;
        int filled = 0;
        boolean skippingLong = false;
        while (true) {
            if (start == filled) {
                start = 0;
                filled = 0;
            } else if (filled == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    start = 0;
                } else if (buf.length < MAX_LINE) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
                } else {
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
            int i = filled;
            filled += n;
            for (; i < filled; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                if (skippingLong) {
                    skippingLong = false;
                } else {
                    emit(start, i);
                }
                start = i + 1;
            }
            if (skippingLong) {
                start = filled;
            }
        }
        if (start < filled && !skippingLong) {
            emit(start, filled);
        }
        end();
    }

    private void emit(int s, int e) throws TraceFormatException, InputProblem {
        lineNo++;
        stats.lines++;
        if (e > s && buf[e - 1] == '\r') {
            e--;
        }
        line(buf, s, e);
    }

    // ---------------------------------------------------------------- small byte helpers

    static int skipBlanks(byte[] b, int q, int e) {
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
