package dev.lockscope.model;

import java.util.List;

/**
 * Kernel stack traces that a trace carries per event (ftrace's {@code stacktrace} option:
 * {@code  => function+off/len} lines under the event). The engine asks for the stack of an
 * event only when it keeps that event as a witness.
 */
public interface StackSource {
    StackSource NONE = line -> List.of();

    /** The frames of the event at input line {@code line}, innermost first; empty if none. */
    List<String> stackAt(long line);
}
