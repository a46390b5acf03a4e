package dev.lockscope.trace;

/** An input that cannot be read at all (missing, a directory, no permission, corrupt compression). */
public final class InputProblem extends Exception {
    private static final long serialVersionUID = 1L;

    public InputProblem(String message) {
        super(message);
    }

    public InputProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
