package dev.lockscope.sim;

/** A scenario that goes wrong while it runs (unlocking a lock not held, ...), reported at its {@code file:line}. */
public final class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(Scenario.Src src, String message) {
        super(src + ": " + message);
    }
}
