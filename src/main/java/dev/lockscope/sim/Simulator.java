package dev.lockscope.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded run: at every step one of the tasks that can step is picked at random (and every
 * choice point is decided at random) from a SplitMix64 stream seeded with {@code seed}, so the
 * same seed gives the same schedule and the same bytes. The run ends when every task that is not
 * a service has finished, or with a deadlock when no live task can step.
 */
public final class Simulator {
    /** A run's outcome; {@code waits} is the wait-for graph at the deadlock (empty if none). */
    public record Result(boolean deadlock, long steps, long events, long timeNs, List<Machine.WaitEdge> waits,
                         List<String> taskNames) {
    }

    /** Upper bound on steps: scenarios are finite, but a mistaken one should not run for ever. */
    public static final long MAX_STEPS = 2_000_000_000L;

    private Simulator() {
    }

    public static Result run(Program p, long seed, Emitter e) {
        Machine m = new Machine(p);
        long state = seed;
        m.start(e);
        int nt = m.tasks();
        int[] ready = new int[nt];
        long steps = 0;
        while (!m.finished()) {
            int k = 0;
            for (int t = 0; t < nt; t++) {
                if (m.enabled(t)) {
                    ready[k++] = t;
                }
            }
            if (k == 0) {
                return new Result(true, steps, m.events(), m.now, m.waitsFor(), names(m));
            }
            state += 0x9E3779B97F4A7C15L;
            long r = mix(state);
            int t = ready[(int) Long.remainderUnsigned(r, k)];
            int choice = m.choiceAt(t) ? (int) (r >>> 63) : 0;
            m.step(t, choice, e);
            if (++steps == MAX_STEPS) {
                throw new ScenarioException("the run did not end after " + MAX_STEPS + " steps");
            }
        }
        return new Result(false, steps, m.events(), m.now, List.of(), names(m));
    }

    /**
     * Replays a schedule found by {@link Explorer} (steps as {@code task << 1 | choice}) with
     * output, so the trace of a deadlocking interleaving can be written and analyzed.
     */
    public static Result replay(Program p, int[] steps, Emitter e) {
        Machine m = new Machine(p);
        m.start(e);
        for (int st : steps) {
            m.step(st >>> 1, st & 1, e);
        }
        boolean stuck = !m.finished();
        for (int t = 0; stuck && t < m.tasks(); t++) {
            stuck = !m.enabled(t);
        }
        return new Result(stuck, steps.length, m.events(), m.now, stuck ? m.waitsFor() : List.of(), names(m));
    }

    static List<String> names(Machine m) {
        List<String> n = new ArrayList<>();
        for (int t = 0; t < m.tasks(); t++) {
            n.add(m.name(t));
        }
        return n;
    }

    /** SplitMix64's output function. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
