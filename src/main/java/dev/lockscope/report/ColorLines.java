package dev.lockscope.report;

import java.io.IOException;
import java.io.Writer;

/**
 * Colours the lines of a lockdep-style text report as they pass: "WARNING: ..." headers and
 * " *** DEADLOCK ***" red, "NOTE: ..." headers yellow; every other line unchanged. A filter on
 * the writer, so the report code stays colour-blind and its bytes without colour are untouched.
 */
public final class ColorLines extends Writer {
    private final Writer out;
    private final Colors colors;
    private final StringBuilder line = new StringBuilder();

    public ColorLines(Writer out, Colors colors) {
        this.out = out;
        this.colors = colors;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                out.write(color(line.toString()));
                out.write('\n');
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    /** The colour rule for one line (without its newline). */
    String color(String s) {
        if (s.startsWith("WARNING:") || s.equals(" *** DEADLOCK ***")) {
            return colors.red(s);
        }
        if (s.startsWith("NOTE:")) {
            return colors.yellow(s);
        }
        return s;
    }

    @Override
    public void flush() throws IOException {
        out.write(line.toString());
        line.setLength(0);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}
