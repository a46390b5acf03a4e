package dev.lockscope.sim;

/** A mistake in a scenario or model file, reported as {@code file:line: what is wrong}. */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioException(Scenario.Src src, String message) {
        super(src + ": " + message);
    }

    public ScenarioException(String message) {
        super(message);
    }
}
