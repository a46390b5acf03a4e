package dev.lockscope.trace;

/** Where a reader reports a malformed line; under {@code --strict} the first one is fatal. */
public interface Problems {
    /** Called once per malformed line; throw to stop reading. */
    void malformed(String source, long line, String reason) throws TraceFormatException;
}
