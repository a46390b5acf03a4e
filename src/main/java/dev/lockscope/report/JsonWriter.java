package dev.lockscope.report;

import java.io.PrintWriter;

/**
 * A minimal streaming JSON writer: fields come out in the order they are written, so the
 * schema's field order is fixed by the code that writes it. Two-space indentation.
 */
public final class JsonWriter {
    private final PrintWriter out;
    private int depth;
    private boolean first = true;
    private boolean afterName;

    public JsonWriter(PrintWriter out) {
        this.out = out;
    }

    public JsonWriter beginObject() {
        value();
        out.print('{');
        depth++;
        first = true;
        return this;
    }

    public JsonWriter endObject() {
        depth--;
        if (!first) {
            newline();
        }
        out.print('}');
        first = false;
        return this;
    }

    public JsonWriter beginArray() {
        value();
        out.print('[');
        depth++;
        first = true;
        return this;
    }

    public JsonWriter endArray() {
        depth--;
        if (!first) {
            newline();
        }
        out.print(']');
        first = false;
        return this;
    }

    public JsonWriter name(String name) {
        if (!first) {
            out.print(',');
        }
        newline();
        string(name);
        out.print(": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        value();
        if (s == null) {
            out.print("null");
        } else {
            string(s);
        }
        first = false;
        return this;
    }

    public JsonWriter value(long v) {
        value();
        out.print(v);
        first = false;
        return this;
    }

    public JsonWriter value(boolean v) {
        value();
        out.print(v);
        first = false;
        return this;
    }

    /** A decimal with fixed precision, so output does not depend on float formatting. */
    public JsonWriter value(double v, int decimals) {
        value();
        out.print(String.format(java.util.Locale.ROOT, "%." + decimals + "f", v));
        first = false;
        return this;
    }

    public JsonWriter field(String name, String v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, boolean v) {
        return name(name).value(v);
    }

    public void finish() {
        out.println();
        out.flush();
    }

    private void value() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (!first) {
                out.print(',');
            }
            newline();
        }
    }

    private void newline() {
        out.print('\n');
        for (int i = 0; i < depth; i++) {
            out.print("  ");
        }
    }

    private void string(String s) {
        out.print('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.print("\\\"");
                case '\\' -> out.print("\\\\");
                case '\n' -> out.print("\\n");
                case '\r' -> out.print("\\r");
                case '\t' -> out.print("\\t");
                default -> {
                    if (c < 0x20) {
                        out.printf("\\u%04x", (int) c);
                    } else {
                        out.print(c);
                    }
                }
            }
        }
        out.print('"');
    }
}
