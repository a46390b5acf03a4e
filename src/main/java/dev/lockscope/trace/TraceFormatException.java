package dev.lockscope.trace;

/** A malformed input line, fatal under {@code --strict}: {@code file:line: reason}. */
public final class TraceFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final long line;
    private final String reason;

    public TraceFormatException(String source, long line, String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
