package dev.lockscope.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Enumerates the schedules of a program depth-first. A schedule switches tasks at every step
 * where more than one can run; switching away from a task that could have continued is a
 * preemption, and schedules with more than {@code bound} preemptions are not explored (most
 * concurrency bugs need very few, cf. CHESS's iterative context bounding). Every choice point
 * is explored both ways. A state cache keyed by the whole machine state and the task that ran
 * last prunes a branch when the same state was already reached with no more preemptions used.
 * The space is exhausted when the search ends without hitting {@code maxSchedules}.
 */
public final class Explorer {
    /** What exploring found: counts, whether the bounded space was exhausted, the first deadlock. */
    public record Report(long schedules, long deadlocks, long states, long pruned, boolean exhausted, int bound,
                         List<Machine.WaitEdge> firstDeadlock, List<String> firstSchedule, List<String> taskNames,
                         int[] firstSteps) {
    }

    private final Program p;
    private final int bound;
    private final long maxSchedules;
    private final Map<Key, Integer> seen = new HashMap<>();
    private long schedules;
    private long deadlocks;
    private long pruned;
    private boolean stopped;
    private List<Machine.WaitEdge> firstDeadlock;
    private List<String> firstSchedule;
    private final List<String> path = new ArrayList<>();
    private final List<Integer> steps = new ArrayList<>();
    private int[] firstSteps;
    private Machine m;

    private Explorer(Program p, int bound, long maxSchedules) {
        this.p = p;
        this.bound = bound;
        this.maxSchedules = maxSchedules;
    }

    private record Key(int[] state, int last) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.last == last && Arrays.equals(k.state, state);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(state) * 31 + last;
        }
    }

    public static Report explore(Program p, int bound, long maxSchedules) {
        Explorer x = new Explorer(p, bound, maxSchedules);
        Throwable[] failure = new Throwable[1];
        // deep schedules recurse deeply: run on a thread with a large stack
        Thread th = new Thread(null, () -> {
            try {
                x.m = new Machine(p);
                x.m.start(Emitter.NONE);
                x.dfs(-1, 0);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "explore", 1L << 29);
        th.start();
        try {
            th.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure[0] instanceof RuntimeException r) {
            throw r;
        } else if (failure[0] instanceof Error er) {
            throw er;
        }
        return new Report(x.schedules, x.deadlocks, x.seen.size(), x.pruned, !x.stopped, bound,
                x.firstDeadlock == null ? List.of() : x.firstDeadlock,
                x.firstSchedule == null ? List.of() : x.firstSchedule, Simulator.names(x.m),
                x.firstSteps == null ? new int[0] : x.firstSteps);
    }

    private void dfs(int last, int preemptions) {
        if (stopped) {
            return;
        }
        if (m.finished()) {
            leaf();
            return;
        }
        Key key = new Key(m.s.clone(), last);
        Integer before = seen.get(key);
        if (before != null && before <= preemptions) {
            pruned++;
            return;
        }
        seen.put(key, preemptions);
        int nt = m.tasks();
        boolean lastEnabled = last >= 0 && m.enabled(last);
        boolean any = false;
        int[] saved = m.s.clone();
        long savedNow = m.now;
        for (int k = 0; k < nt; k++) {
            int t = lastEnabled ? (last + k) % nt : k; // the running task first: no preemption
            if (!m.enabled(t)) {
                continue;
            }
            any = true;
            int cost = lastEnabled && t != last ? 1 : 0;
            if (preemptions + cost > bound) {
                continue;
            }
            int choices = m.choiceAt(t) ? 2 : 1;
            for (int c = 0; c < choices; c++) {
                m.step(t, c, Emitter.NONE);
                path.add(m.name(t) + (choices == 2 ? (c == 1 ? " (yes)" : " (no)") : ""));
                steps.add(t << 1 | c);
                dfs(t, preemptions + cost);
                path.remove(path.size() - 1);
                steps.remove(steps.size() - 1);
                System.arraycopy(saved, 0, m.s, 0, saved.length);
                m.now = savedNow;
                if (stopped) {
                    return;
                }
            }
        }
        if (!any) {
            deadlocks++;
            if (firstDeadlock == null) {
                firstDeadlock = m.waitsFor();
                firstSchedule = List.copyOf(path);
                firstSteps = steps.stream().mapToInt(Integer::intValue).toArray();
            }
            leaf();
        }
    }

    private void leaf() {
        if (++schedules >= maxSchedules) {
            stopped = true;
        }
    }
}
